"""Event handlers of fraud screening (run as jobs after commit, app.events.registry)."""
from __future__ import annotations

import logging

from app.core import uow
from app.core.types import as_uuid
from app.extensions import db
from app.fraud import checks, velocity

log = logging.getLogger(__name__)


def screen_order(evt) -> None:
    """order.placed: screen the order; a block's refunds are asked for once the
    cancellation is committed (no transaction open during a gateway call)."""
    calls = checks.screen_order(evt.payload["order_id"])
    if calls:
        uow.commit()
        checks.execute_refunds(calls)


def count_failed_payment(evt) -> None:
    """payment.failed: one more failed payment for the customer, their email, the IP the
    order came from and the card (keyed by payment id: a retried job counts it once).
    The card of a payment the app confirmed itself is read from the gateway."""
    from app.orders.models import Order
    from app.payments.models import Payment
    from app.users.models import User

    payment = db.session.get(Payment, as_uuid(evt.payload["payment_id"]))
    if payment is None:
        return
    if payment.card_fingerprint is None and payment.gateway_payment_id \
            and payment.method == "card":
        payment = _learn_card(payment)
    order = db.session.get(Order, payment.order_id) if payment.order_id else None
    user = db.session.get(User, payment.customer_id)
    placed = checks.placement_check(order.id) if order is not None else None
    velocity.record("failed_payments", str(payment.id), {
        "customer": str(payment.customer_id), "email": user.email.lower() if user else None,
        "ip": placed.ip if placed else None, "card": payment.card_fingerprint})


def _learn_card(payment):
    """Ask the gateway which card the payment was attempted with and keep it on the
    payment (its first answer wins); unknown when the gateway cannot say."""
    from app.core.errors import DomainError
    from app.payments import gateways, service as payments

    payment_id, gateway, gateway_id = payment.id, payment.gateway, payment.gateway_payment_id
    db.session.commit()  # nothing written yet: no transaction stays open during the call
    try:
        card = gateways.get(gateway).card_of_payment(gateway_id)
    except DomainError as exc:  # counted without the card rather than not at all
        log.warning("card of payment %s unknown: %s", payment_id, exc.message)
        card = None
    payment = payments.locked(payment_id)
    payments.remember_card(payment, card)
    db.session.flush()
    return payment
