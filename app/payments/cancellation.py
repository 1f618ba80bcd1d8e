"""Cancelling an open gateway payment: the customer abandoned 3-D Secure or the PayPal
approval, and "one payment in flight per order" (app.payments.service.open_payment)
would otherwise keep the order from being paid again.

Transaction boundaries as for ``charge`` (see app.payments.service): ``open_cancel``
reads in transaction 1, ``cancel`` asks the gateway with no transaction open, then
records the answer under the payment's row lock (transaction 2). The gateway's answer
wins over our wish: a payment that took money meanwhile is recorded as succeeded,
never cancelled.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.core import transitions
from app.core.actor import Actor
from app.core.errors import Conflict
from app.extensions import db
from app.payments import gateways, rules, service
from app.payments.models import Payment


@dataclass(frozen=True)
class Cancellation:
    """A cancel to ask the gateway for, read in transaction 1."""
    id: uuid.UUID
    gateway: str
    gateway_payment_id: str  # empty: already cancelled, nothing to ask
    actor: Actor


def open_cancel(payment_id, actor: Actor) -> Cancellation:
    """What cancelling an open payment needs (transaction 1): the customer abandoned
    3-D Secure or the PayPal approval, and the order's one payment in flight would
    otherwise block paying it again. Cancelling twice answers the cancelled payment."""
    payment = service.get_visible(payment_id, actor)
    if payment.status == "cancelled":
        return Cancellation(payment.id, payment.gateway, "", actor)
    if payment.status not in rules.OPEN:
        raise Conflict(f"A {payment.status.replace('_', ' ')} payment cannot be cancelled.",
                       errors={"status": [payment.status]})
    if not payment.gateway_payment_id:
        # The creating call may have reached the gateway without us hearing back: the
        # gateway's payment could still take money, so it is not cancelled blind.
        raise Conflict("This payment is not known at its gateway yet: retry creating it "
                       "with the same Idempotency-Key, then cancel it.",
                       errors={"gateway_payment_id": ["unknown"]})
    gateway = gateways.get(payment.gateway)
    gateway.require(*gateway.SETTINGS)
    return Cancellation(payment.id, payment.gateway, payment.gateway_payment_id, actor)


def cancel(call: Cancellation) -> Payment:
    """Ask the gateway to cancel (no transaction open), then record its answer: the
    payment is cancelled and its order stays payable by a new payment. A payment the
    buyer confirmed meanwhile succeeded at the gateway: that success is applied (order
    and invoice paid) and the answer is 409 naming it."""
    if not call.gateway_payment_id:
        return service.get(call.id)
    outcome = gateways.get(call.gateway).cancel(call.id, call.gateway_payment_id)
    payment = service.locked(call.id)
    if outcome.status == "cancelled" and payment.status in rules.OPEN:
        transitions.move(payment, "cancelled", actor=call.actor, check=rules.check_transition,
                         topic="payment", values={"next_action": None},
                         payload=service.subject(payment))
        db.session.flush()
        return payment
    payment = service.apply(payment, outcome.status, outcome)
    if payment.status == "cancelled":  # a webhook said so first
        return payment
    if payment.status in ("succeeded", "refunded"):
        raise Conflict("This payment succeeded at its gateway before it could be "
                       "cancelled: it is recorded as paid.", errors={"status": ["succeeded"],
                                        "payment_id": [str(payment.id)]})
    raise Conflict("The gateway is still collecting this payment; it cannot be cancelled "
                   "now.", errors={"status": [outcome.status],
                                   "payment_id": [str(payment.id)]})
