"""Sales per business day and currency: a rollup for closed days, live queries for the rest.

Why a rollup filled from closed days rather than one maintained by every write: the
figures come from orders (placed, paid), payments and refunds, written by several services
(checkout, gateway webhooks, reconciliation, bank transfers, refunds). Keeping counters in
each of their transactions would touch every one of them, and make concurrent checkouts
queue on the same (day, currency) row. Instead a closed day's figures never change once
its activity has settled, so they are computed once, with the same bounded aggregates the
live part uses, and stored. "Closed" is older than ``SETTLE_DAYS`` (today and yesterday are
always live), which leaves a day for payments and refunds started on a day to finish.

Who fills it: whoever asks first (the dashboard fills the missing closed days of the range
it shows, in one query per figure), or ``flask reporting rollup`` (schedulable; the lead
wires it into the periodic jobs). ``rebuild`` recomputes a range after a data fix.

Days are the seller's calendar days (SELLER_TIMEZONE), as invoices use. Each aggregate
buckets rows into days with a CASE over the UTC instants of local midnights: portable
(SQLite and PostgreSQL), right across daylight-saving changes, and bounded by an index
range on the timestamp.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.core.clock import business_date, seller_zone
from app.core.types import utcnow
from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order, OrderLine
from app.payments.models import Payment, Refund
from app.reporting.credits import credited_without_refund, paid_out
from app.reporting.models import NO_CURRENCY, DailySales, DailySalesByRate

SETTLE_DAYS = 2
FIGURES = ("orders_placed", "orders_paid", "net_amount", "tax_amount", "refunded_amount",
           "credited_amount", "payments_succeeded", "payments_failed")
# Statuses a payment reaches only after the money was taken.
_TAKEN = ("succeeded", "refunded")


def midnight(day: date) -> datetime:
    """The UTC instant the seller's ``day`` starts."""
    return datetime.combine(day, time.min, tzinfo=seller_zone()).astimezone(timezone.utc)


def _bounds(first: date, last: date) -> list[datetime]:
    return [midnight(first + timedelta(days=n)) for n in range((last - first).days + 2)]


def _bucket(column, bounds):
    """The day index of ``column`` among ``bounds`` (callers filter to the whole range)."""
    return case(*[(column < bounds[i + 1], i) for i in range(len(bounds) - 1)], else_=-1)


def _in_range(column, bounds):
    return and_(column >= bounds[0], column < bounds[-1])


def aggregate(first: date, last: date) -> tuple[dict, dict]:
    """Figures of the days ``first``..``last`` straight from the source tables.

    Returns ``({(day, currency): {figure: value}}, {(day, currency, rate): [net, tax]})``.
    """
    bounds = _bounds(first, last)
    days = [first + timedelta(days=n) for n in range(len(bounds) - 1)]
    sales: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))

    b = _bucket(Order.created_at, bounds).label("b")
    for idx, cur, n in db.session.execute(
            select(b, Order.currency, func.count())
            .where(_in_range(Order.created_at, bounds)).group_by(b, Order.currency)):
        sales[(days[idx], cur)]["orders_placed"] += n

    b = _bucket(Order.paid_at, bounds).label("b")
    for idx, cur, n, net, tax in db.session.execute(
            select(b, Order.currency, func.count(), func.sum(Order.subtotal_amount),
                   func.sum(Order.tax_amount))
            .where(_in_range(Order.paid_at, bounds)).group_by(b, Order.currency)):
        row = sales[(days[idx], cur)]
        row["orders_paid"] += n
        row["net_amount"] += int(net or 0)
        row["tax_amount"] += int(tax or 0)

    b = _bucket(Refund.created_at, bounds).label("b")
    for idx, cur, amount in db.session.execute(
            select(b, Refund.currency, func.sum(Refund.amount))
            .where(_in_range(Refund.created_at, bounds), Refund.status == "succeeded")
            .group_by(b, Refund.currency)):
        sales[(days[idx], cur)]["refunded_amount"] += int(amount or 0)

    b = _bucket(Invoice.finalised_at, bounds).label("b")
    for idx, cur, amount in db.session.execute(credited_without_refund(
            b, Invoice.currency, where=(_in_range(Invoice.finalised_at, bounds),))):
        sales[(days[idx], cur)]["credited_amount"] += int(amount or 0)

    b = _bucket(Refund.created_at, bounds).label("b")
    for idx, cur, amount in db.session.execute(paid_out(
            b, Refund.currency, where=(_in_range(Refund.created_at, bounds),))):
        sales[(days[idx], cur)]["credited_amount"] -= int(amount or 0)

    b = _bucket(Payment.created_at, bounds).label("b")
    taken = func.sum(case((Payment.status.in_(_TAKEN), 1), else_=0))
    failed = func.sum(case((Payment.status == "failed", 1), else_=0))
    for idx, cur, ok, ko in db.session.execute(
            select(b, Payment.currency, taken, failed)
            .where(_in_range(Payment.created_at, bounds)).group_by(b, Payment.currency)):
        row = sales[(days[idx], cur)]
        row["payments_succeeded"] += int(ok or 0)
        row["payments_failed"] += int(ko or 0)

    by_rate: dict = defaultdict(lambda: [0, 0])
    b = _bucket(Order.paid_at, bounds).label("b")
    for idx, cur, rate, net, tax in db.session.execute(
            select(b, Order.currency, OrderLine.tax_rate, func.sum(OrderLine.net_amount),
                   func.sum(OrderLine.tax_amount))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(_in_range(Order.paid_at, bounds))
            .group_by(b, Order.currency, OrderLine.tax_rate)):
        cell = by_rate[(days[idx], cur, Decimal(rate or 0))]
        cell[0] += int(net or 0)
        cell[1] += int(tax or 0)
    return dict(sales), dict(by_rate)


def last_closed_day(today: date | None = None) -> date:
    return (today or business_date()) - timedelta(days=SETTLE_DAYS)


def close_days(first: date, last: date) -> int:
    """Store the figures of the closed days in ``first``..``last`` that have none yet;
    returns how many days were added. Safe to run concurrently (first writer wins)."""
    last = min(last, last_closed_day())
    if last < first:
        return 0
    have = set(db.session.scalars(select(DailySales.day).distinct()
                                  .where(DailySales.day.between(first, last))))
    missing = [first + timedelta(days=n) for n in range((last - first).days + 1)
               if first + timedelta(days=n) not in have]
    if not missing:
        return 0
    _store(*aggregate(missing[0], missing[-1]), set(missing))
    return len(missing)


def rebuild(first: date, last: date) -> int:
    """Recompute closed days after a data fix (the rows are replaced)."""
    last = min(last, last_closed_day())
    db.session.execute(delete(DailySales).where(DailySales.day.between(first, last)))
    db.session.execute(delete(DailySalesByRate).where(DailySalesByRate.day.between(first, last)))
    return close_days(first, last)


def _store(sales: dict, by_rate: dict, days: set[date]) -> None:
    now = utcnow()
    rows = [{"day": day, "currency": cur, **figures, "computed_at": now}
            for (day, cur), figures in sales.items() if day in days]
    active = {row["day"] for row in rows}
    rows += [{"day": day, "currency": NO_CURRENCY, **dict.fromkeys(FIGURES, 0),
              "computed_at": now} for day in days - active]
    _insert_ignoring_existing(DailySales, rows)
    _insert_ignoring_existing(DailySalesByRate, [
        {"day": day, "currency": cur, "tax_rate": rate, "net_amount": net, "tax_amount": tax}
        for (day, cur, rate), (net, tax) in by_rate.items() if day in days])
    db.session.flush()


def _insert_ignoring_existing(model, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(model).values(rows).on_conflict_do_nothing())


def daily(first: date, last: date) -> tuple[dict, dict]:
    """The figures of ``first``..``last``: stored ones for closed days (filling any that
    are missing), live aggregates for the rest. Same shape as ``aggregate``.

    Within a request, a wider window already read (``prefetch``) answers narrower ones,
    so a page showing today, this month and 90 days reads the rollup once."""
    window = _window()
    if window is not None and window[0] <= first and last == window[1]:
        sales, by_rate = window[2]
        return ({k: v for k, v in sales.items() if first <= k[0] <= last},
                {k: v for k, v in by_rate.items() if first <= k[0] <= last})
    return _daily(first, last)


def prefetch(first: date, last: date) -> None:
    """Read ``first``..``last`` once for the rest of this request (see ``daily``)."""
    from flask import g

    g.reporting_window = (first, last, _daily(first, last))


def _window():
    from flask import g, has_app_context

    return g.get("reporting_window") if has_app_context() else None


def _daily(first: date, last: date) -> tuple[dict, dict]:
    closed_last = min(last, last_closed_day())
    sales: dict = {}
    by_rate: dict = {}
    if closed_last >= first:
        close_days(first, closed_last)
        for row in db.session.scalars(select(DailySales).where(
                DailySales.day.between(first, closed_last),
                DailySales.currency != NO_CURRENCY)):
            sales[(row.day, row.currency)] = {name: getattr(row, name) for name in FIGURES}
        for row in db.session.scalars(select(DailySalesByRate).where(
                DailySalesByRate.day.between(first, closed_last))):
            by_rate[(row.day, row.currency, Decimal(row.tax_rate))] = [row.net_amount,
                                                                       row.tax_amount]
    live_first = max(first, closed_last + timedelta(days=1))
    if live_first <= last:
        live_sales, live_rates = aggregate(live_first, last)
        sales.update(live_sales)
        by_rate.update(live_rates)
    return sales, by_rate
