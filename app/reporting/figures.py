"""The dashboard's figures: one function per figure, each one bounded query (or a read of
the daily rollup). Money per currency in minor units; nothing is added across currencies."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import case, func, select

from app.core.clock import business_date
from app.extensions import db
from app.invoices.models import Invoice
from app.reporting import rollup
from app.tax.calculate import round_half_up

OPEN_INVOICE = ("finalised", "sent")


def period(first: date, last: date) -> dict[str, dict]:
    """Per currency, over the days ``first``..``last``: orders placed and paid, net, tax,
    gross, refunds, credits held, gross after both, average order value (gross of paid
    orders) and payment failure rate."""
    sales, _ = rollup.daily(first, last)
    totals: dict = defaultdict(lambda: dict.fromkeys(rollup.FIGURES, 0))
    for (_day, cur), figures in sales.items():
        for name, value in figures.items():
            totals[cur][name] += value
    out = {}
    for cur, t in sorted(totals.items()):
        gross = t["net_amount"] + t["tax_amount"]
        tried = t["payments_succeeded"] + t["payments_failed"]
        out[cur] = {**t, "gross_amount": gross,
                    # What the period's invoices and credit notes total (the exports).
                    "kept_amount": gross - t["refunded_amount"] - t["credited_amount"],
                    # Half-up like every other rounding of money (app.tax.calculate), not
                    # floor: 187.23 over 2 orders is 93.62.
                    "average_order_amount": (round_half_up(Decimal(gross) / t["orders_paid"])
                                             if t["orders_paid"] else None),
                    "payment_failure_rate": (Decimal(t["payments_failed"]) / tried
                                             if tried else None)}
    return out


def per_day(days: int, today: date | None = None) -> dict:
    """Chart series over the last ``days`` days: labels, and per currency the gross
    revenue and paid orders per day, plus orders placed per day (all currencies)."""
    today = today or business_date()
    first = today - timedelta(days=days - 1)
    sales, _ = rollup.daily(first, today)
    labels = [first + timedelta(days=n) for n in range(days)]
    index = {d: i for i, d in enumerate(labels)}
    revenue: dict = defaultdict(lambda: [0] * days)
    placed = [0] * days
    for (day, cur), f in sales.items():
        revenue[cur][index[day]] += f["net_amount"] + f["tax_amount"]
        placed[index[day]] += f["orders_placed"]
    return {"labels": [d.isoformat() for d in labels], "revenue": dict(sorted(revenue.items())),
            "orders": placed}


def by_tax_rate(days: int, today: date | None = None) -> list[dict]:
    """Net and tax of paid orders' lines per currency and rate over the last ``days`` days."""
    today = today or business_date()
    _, by_rate = rollup.daily(today - timedelta(days=days - 1), today)
    totals: dict = defaultdict(lambda: [0, 0])
    for (_day, cur, rate), (net, tax) in by_rate.items():
        totals[(cur, rate)][0] += net
        totals[(cur, rate)][1] += tax
    return [{"currency": cur, "rate": rate, "net_amount": net, "tax_amount": tax}
            for (cur, rate), (net, tax) in sorted(totals.items())]


def receivables(today: date | None = None) -> dict[str, dict]:
    """Per currency: open invoices and what they still owe, and the overdue part."""
    today = today or business_date()
    due = Invoice.total_amount - Invoice.amount_paid - Invoice.amount_credited
    overdue = Invoice.due_date < today
    rows = db.session.execute(
        select(Invoice.currency, func.count(), func.sum(due),
               func.sum(case((overdue, 1), else_=0)),
               func.sum(case((overdue, due), else_=0)))
        .where(Invoice.kind == "invoice", Invoice.status.in_(OPEN_INVOICE))
        .group_by(Invoice.currency))
    return {cur: {"open_count": n, "outstanding_amount": int(amount or 0),
                  "overdue_count": int(late or 0), "overdue_amount": int(late_amount or 0)}
            for cur, n, amount, late, late_amount in rows}


def failed_deliveries() -> int:
    from app.events.models import EventDelivery

    return db.session.scalar(select(func.count()).select_from(EventDelivery)
                             .where(EventDelivery.status == "failed")) or 0


def failed_jobs() -> int | None:
    """Jobs in RQ's failed registries; None without Redis (jobs then run inline)."""
    if not current_app.config.get("REDIS_URL"):
        return None
    from redis.exceptions import RedisError
    from rq import Queue
    from rq.registry import FailedJobRegistry

    from app.core.redis import get_redis
    from app.events.registry import QUEUES

    try:
        conn = get_redis()
        return sum(FailedJobRegistry(queue=Queue(name, connection=conn)).count
                   for name in QUEUES)
    except RedisError:
        return None


def open_fraud_reviews() -> int:
    """Fraud reviews waiting for a decision (the queue's index keeps this cheap)."""
    from app.fraud.models import FraudReview

    return db.session.scalar(select(func.count()).select_from(FraudReview)
                             .where(FraudReview.status == "open"))


def counts() -> dict[str, int]:
    """What every role may see: customers and orders, no money."""
    from app.orders.models import Order
    from app.users.models import User

    today = business_date()
    start = rollup.midnight(today)
    return {
        "customers": db.session.scalar(select(func.count()).select_from(User)) or 0,
        "orders_today": db.session.scalar(select(func.count()).select_from(Order)
                                          .where(Order.created_at >= start)) or 0,
        "orders_awaiting_payment": db.session.scalar(
            select(func.count()).select_from(Order)
            .where(Order.status == "pending_payment", Order.created_at >= start - timedelta(days=30))) or 0,
    }
