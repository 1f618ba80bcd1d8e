"""Money that paid for nothing is given back.

A payment can succeed after its order stopped needing it: the customer passed 3-D Secure
as the order was cancelled (by them, by staff or by fraud screening), or a second
payment for the same order went through (two tabs, two cards). ``payments._succeed``
records such a payment (the gateway holds the money) without applying it: no invoice,
the order left alone. This module refunds it in full, once, with no approval needed (it
is not a decision about the customer's money but the absence of a sale). Applied
payments are the ones with an invoice; those are refunded only when someone asks.
"""
from __future__ import annotations

import logging
import uuid

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import DomainError
from app.core.types import as_uuid
from app.extensions import db
from app.orders.models import Order
from app.payments import refunds, rules
from app.payments.models import Payment

log = logging.getLogger(__name__)

ACTOR = Actor.system("payments")
# A fixed namespace: the refund's id comes from the payment's, so a retried or
# duplicated job takes up the same refund instead of opening a second one.
NAMESPACE = uuid.UUID("5d1c0f0a-3a58-5b1e-8f0e-2f7c9d4b6a11")


def open_refund(payment_id) -> refunds.RefundCall | None:
    """The full refund of a succeeded payment its order did not take (None when it did,
    or nothing is left to give back). Those the gateway cannot refund (a bank transfer)
    are left to finance, audited as needing a refund."""
    payment = db.session.get(Payment, as_uuid(payment_id))
    if payment is None or payment.status != "succeeded" or payment.order_id is None \
            or payment.refundable <= 0:
        return None
    order = db.session.get(Order, payment.order_id)
    if rules.order_took(payment, order):
        return None
    reason = ("Order cancelled before the payment completed" if order.status == "cancelled"
              else "Order already paid by another payment")
    try:
        with db.session.begin_nested():
            return refunds.open(uuid.uuid5(NAMESPACE, str(payment.id)), payment.id,
                                amount=None, reason=reason, actor=ACTOR, approved=True)
    except DomainError as exc:
        log.error("payment %s paid nothing and was not refunded: %s", payment.id, exc.message)
        audit.record(ACTOR, "payment.refund_needed", "payment", payment.id,
                     after={"order_id": str(order.id), "reason": exc.message})
        return None
