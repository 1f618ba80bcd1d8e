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

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.core import transitions, uow
from app.core.actor import Actor
from app.core.errors import Conflict, DomainError
from app.core.types import as_uuid
from app.extensions import db
from app.payments import gateways, rules, service
from app.payments.models import Payment

log = logging.getLogger(__name__)


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


def open_of_order(order_id, actor: Actor) -> list[Cancellation]:
    """The cancels a cancelled order's payments still open at their gateway need (a
    client secret the app holds could otherwise still take money for it). A payment
    whose creating call has no answer yet is left: if it takes money, that money paid
    nothing and goes back (app.payments.unapplied)."""
    rows = db.session.scalars(select(Payment).where(
        Payment.order_id == as_uuid(order_id), Payment.status.in_(rules.OPEN),
        Payment.gateway_payment_id.is_not(None)).order_by(Payment.created_at)).all()
    return [Cancellation(p.id, p.gateway, p.gateway_payment_id, actor) for p in rows]


def cancel_all(calls: list[Cancellation]) -> None:
    """Each cancel with no transaction open, each answer committed. A payment that
    succeeded first is recorded so (and refunded as paying nothing); a gateway that
    fails is logged: the payment stays open, as the customer left it."""
    for call in calls:
        # Moved on meanwhile (the order's cancel and a fraud stop both ask): not again.
        still_open = service.get(call.id).status in rules.OPEN
        uow.commit()
        if not still_open:
            continue
        try:
            cancel(call)
        except DomainError as exc:
            log.warning("payment %s of a cancelled order not cancelled: %s", call.id,
                        exc.message)
        uow.commit()
