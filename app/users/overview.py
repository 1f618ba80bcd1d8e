"""Customer 360: everything about one customer on one page, each part one bounded query
(newest first, ``limit`` rows) by the customer's indexed id."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import Payment, Refund, RefundRequest
from app.reporting.credits import credited_without_refund, paid_out

LIMIT = 50
_PAID = ("paid", "fulfilled", "refunded")


def orders(user_id, limit: int = LIMIT) -> list[Order]:
    return list(db.session.scalars(select(Order).where(Order.customer_id == user_id)
                                   .order_by(Order.created_at.desc(), Order.id.desc())
                                   .limit(limit)))


def invoices(user_id, limit: int = LIMIT) -> list[Invoice]:
    return list(db.session.scalars(select(Invoice).where(Invoice.customer_id == user_id)
                                   .order_by(Invoice.created_at.desc(), Invoice.id.desc())
                                   .limit(limit)))


def payments(user_id, limit: int = LIMIT) -> list[Payment]:
    return list(db.session.scalars(select(Payment).where(Payment.customer_id == user_id)
                                   .order_by(Payment.created_at.desc(), Payment.id.desc())
                                   .limit(limit)))


def refunds(user_id, limit: int = LIMIT) -> list[Refund]:
    return list(db.session.scalars(
        select(Refund).join(Payment, Refund.payment_id == Payment.id)
        .where(Payment.customer_id == user_id)
        .order_by(Refund.created_at.desc(), Refund.id.desc()).limit(limit)))


def refund_requests(user_id, limit: int = LIMIT) -> list[RefundRequest]:
    """Refunds of the customer's payments that went to a second staff member (maker-checker),
    newest first, whatever their outcome."""
    return list(db.session.scalars(
        select(RefundRequest).join(Payment, RefundRequest.payment_id == Payment.id)
        .where(Payment.customer_id == user_id)
        .order_by(RefundRequest.created_at.desc(), RefundRequest.id.desc()).limit(limit)))


def addresses(user_id, limit: int = 10) -> list[dict]:
    """The distinct addresses of the customer's latest orders (accounts keep none)."""
    seen, out = set(), []
    for order in orders(user_id, limit=LIMIT):
        for address in (order.shipping_address, order.billing_address):
            key = tuple(sorted((address or {}).items()))
            if address and key not in seen:
                seen.add(key)
                out.append(address)
    return out[:limit]


def lifetime_value(user_id) -> dict[str, dict]:
    """Per currency: what the customer paid (orders paid, fulfilled or later refunded),
    what was refunded, what credit notes on those orders' invoices credited without a
    refund (a credit the customer holds: its PDF says it is refunded or set off), and
    what is left: paid less both, as the invoice exports' totals count it."""
    out: dict = defaultdict(lambda: {"paid": 0, "refunded": 0, "credited": 0, "orders": 0})
    for cur, n, total in db.session.execute(
            select(Order.currency, func.count(), func.sum(Order.total_amount))
            .where(Order.customer_id == user_id, Order.paid_at.is_not(None))
            .group_by(Order.currency)):
        out[cur]["paid"] += int(total or 0)
        out[cur]["orders"] += n
    for cur, total in db.session.execute(
            select(Refund.currency, func.sum(Refund.amount))
            .join(Payment, Refund.payment_id == Payment.id)
            .where(Payment.customer_id == user_id, Refund.status == "succeeded")
            .group_by(Refund.currency)):
        out[cur]["refunded"] += int(total or 0)
    for cur, total in db.session.execute(credited_without_refund(
            Invoice.currency, where=(Invoice.customer_id == user_id,))):
        out[cur]["credited"] += int(total or 0)
    for cur, total in db.session.execute(paid_out(
            Invoice.currency, where=(Invoice.customer_id == user_id,))):
        out[cur]["credited"] -= int(total or 0)
    return {cur: {**v, "net": v["paid"] - v["refunded"] - v["credited"]}
            for cur, v in sorted(out.items())}


def audit_trail(user_id, limit: int = LIMIT) -> list[AuditEntry]:
    """Entries about the customer's account, and those the customer made."""
    return list(db.session.scalars(
        select(AuditEntry).where(or_(
            (AuditEntry.target_type == "user") & (AuditEntry.target_id == str(user_id)),
            (AuditEntry.actor_kind == "user") & (AuditEntry.actor_id == user_id)))
        .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc()).limit(limit)))


def overview(user_id) -> dict:
    return {"orders": orders(user_id), "invoices": invoices(user_id),
            "payments": payments(user_id), "refunds": refunds(user_id),
            "refund_requests": refund_requests(user_id),
            "addresses": addresses(user_id), "lifetime_value": lifetime_value(user_id),
            "audit": audit_trail(user_id)}
