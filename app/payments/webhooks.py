"""Inbound gateway webhooks: verified, stored once by the gateway's event id, answered
at once; a job (the outbox handler ``payments.gateway_event``) applies them.

Each gateway says what its events mean (``event_effect`` of app.payments.gateways);
applying them is the same for all. Events may come late, twice or out of order: applying
one only ever moves a payment or refund forward (app.payments.rules), so any order of
the same events ends the same.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.payments import gateways, refunds, service as payments
from app.payments.gateways import EventEffect
from app.payments.models import GatewayEvent, Payment

log = logging.getLogger(__name__)


def receive(gateway_name: str, payload: bytes, headers) -> tuple[GatewayEvent, bool]:
    """Store a verified event of the gateway once; (the stored row, whether it is new)."""
    event = gateways.get(gateway_name).parse_webhook(payload, headers)
    event_id, event_type = event["id"], event["type"]
    existing = _stored(gateway_name, event_id)
    if existing is not None:
        return existing, False
    row = GatewayEvent(gateway=gateway_name, gateway_event_id=event_id[:255],
                       type=event_type[:100], payload=event)
    savepoint = db.session.begin_nested()
    try:
        db.session.add(row)
        db.session.flush()  # the unique (gateway, id) waits here for a concurrent copy
    except IntegrityError:
        savepoint.rollback()
        return _stored(gateway_name, event_id), False
    savepoint.commit()
    publish("gateway_event.received", {"gateway_event_id": str(row.id), "type": row.type})
    return row, True


def receive_stripe(payload: bytes, signature: str | None) -> tuple[GatewayEvent, bool]:
    return receive("stripe", payload, {"Stripe-Signature": signature})


def _stored(gateway_name: str, event_id: str) -> GatewayEvent | None:
    return db.session.scalars(select(GatewayEvent).where(
        GatewayEvent.gateway == gateway_name, GatewayEvent.gateway_event_id == event_id)).first()


def process(gateway_event_id) -> str:
    """Apply one stored event (the job); a processed one is skipped."""
    row = db.session.scalars(select(GatewayEvent).where(
        GatewayEvent.id == as_uuid(gateway_event_id)).with_for_update()).first()
    if row is None:
        raise LookupError(f"gateway event {gateway_event_id} not found")
    if row.processed_at is not None:
        return row.outcome or "processed"
    effect = gateways.get(row.gateway).event_effect({**row.payload, "type": row.type})
    if effect.kind == "payment":
        outcome = _payment(row.gateway, effect)
    elif effect.kind == "refund":
        outcome = _refund(row.gateway, effect)
    else:
        outcome = "ignored: unhandled type"
        log.info("%s event %s of type %s acknowledged and ignored", row.gateway,
                 row.gateway_event_id, row.type)
    row.processed_at, row.outcome = utcnow(), outcome[:200]
    db.session.flush()
    return outcome


def find_payment(our_id, gateway_id: str | None) -> Payment | None:
    """The payment a gateway report is about: by our id in its metadata, else its own."""
    payment = db.session.get(Payment, as_uuid(our_id)) if as_uuid(our_id) else None
    if payment is None and gateway_id:
        payment = db.session.scalars(select(Payment).where(
            Payment.gateway_payment_id == gateway_id)).first()
    return payment


def _payment(gateway_name: str, effect: EventEffect) -> str:
    payment = find_payment(effect.our_id, effect.gateway_id)
    if payment is None:
        log.warning("%s event for unknown payment %s", gateway_name, effect.gateway_id)
        return "ignored: unknown payment"
    payment = payments.locked(payment.id)
    before = payment.status
    payments.apply(payment, effect.target, effect.outcome)
    return f"payment {before} -> {payment.status}"


def _refund(gateway_name: str, effect: EventEffect) -> str:
    refund = refunds.find(effect.gateway_id, effect.our_id)
    if refund is None:
        log.warning("%s event for unknown refund %s", gateway_name, effect.gateway_id)
        return "ignored: unknown refund"
    before = refund.status
    refund = refunds.record(refund.id, effect.outcome)
    return f"refund {before} -> {refund.status}"
