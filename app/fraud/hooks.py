"""Event handlers of fraud screening (run as jobs after commit, app.events.registry)."""
from __future__ import annotations

from app.core import uow
from app.core.types import as_uuid
from app.extensions import db
from app.fraud import checks, velocity


def screen_order(evt) -> None:
    """order.placed: screen the order; a block's refunds are asked for once the
    cancellation is committed (no transaction open during a gateway call)."""
    calls = checks.screen_order(evt.payload["order_id"])
    if calls:
        uow.commit()
        checks.execute_refunds(calls)


def count_failed_payment(evt) -> None:
    """payment.failed: one more failed payment for the customer, their email and the IP
    the order came from (keyed by payment id: a retried job counts it once)."""
    from app.orders.models import Order
    from app.payments.models import Payment
    from app.users.models import User

    payment = db.session.get(Payment, as_uuid(evt.payload["payment_id"]))
    if payment is None:
        return
    order = db.session.get(Order, payment.order_id) if payment.order_id else None
    user = db.session.get(User, payment.customer_id)
    placed = checks.placement_check(order.id) if order is not None else None
    velocity.record("failed_payments", str(payment.id), {
        "customer": str(payment.customer_id), "email": user.email.lower() if user else None,
        "ip": placed.ip if placed else None, "card": None})
