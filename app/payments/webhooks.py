"""Inbound gateway webhooks: verified, stored once by the gateway's event id, answered
at once; a job (the outbox handler ``payments.gateway_event``) applies them.

Events may come late, twice or out of order: applying one only ever moves a payment or
refund forward (app.payments.rules), so any order of the same events ends the same.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.payments import refunds, service as payments, stripe_gateway as gateway
from app.payments.models import GatewayEvent, Payment

log = logging.getLogger(__name__)

# Stripe event type -> the payment status it reports.
INTENT_EVENTS = {
    "payment_intent.succeeded": "succeeded",
    "payment_intent.payment_failed": "failed",
    "payment_intent.requires_action": "requires_action",
    "payment_intent.canceled": "cancelled",
}
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def receive_stripe(payload: bytes, signature: str | None) -> tuple[GatewayEvent, bool]:
    """Store a verified Stripe event once; (the stored row, whether it is new)."""
    event = gateway.verify(payload, signature)
    event_id, event_type = event["id"], event["type"]
    existing = _stored(event_id)
    if existing is not None:
        return existing, False
    row = GatewayEvent(gateway=gateway.NAME, gateway_event_id=event_id[:255],
                       type=event_type[:100], payload=event)
    savepoint = db.session.begin_nested()
    try:
        db.session.add(row)
        db.session.flush()  # the unique (gateway, id) waits here for a concurrent copy
    except IntegrityError:
        savepoint.rollback()
        return _stored(event_id), False
    savepoint.commit()
    publish("gateway_event.received", {"gateway_event_id": str(row.id), "type": row.type})
    return row, True


def _stored(event_id: str) -> GatewayEvent | None:
    return db.session.scalars(select(GatewayEvent).where(
        GatewayEvent.gateway == gateway.NAME, GatewayEvent.gateway_event_id == event_id)).first()


def process(gateway_event_id) -> str:
    """Apply one stored event (the job); a processed one is skipped."""
    row = db.session.scalars(select(GatewayEvent).where(
        GatewayEvent.id == as_uuid(gateway_event_id)).with_for_update()).first()
    if row is None:
        raise LookupError(f"gateway event {gateway_event_id} not found")
    if row.processed_at is not None:
        return row.outcome or "processed"
    obj = ((row.payload.get("data") or {}).get("object")) or {}
    if row.type in INTENT_EVENTS:
        outcome = _intent(obj, INTENT_EVENTS[row.type])
    elif row.type in REFUND_EVENTS:
        outcome = _refund(obj)
    else:
        outcome = "ignored: unhandled type"
        log.info("stripe event %s of type %s acknowledged and ignored", row.gateway_event_id,
                 row.type)
    row.processed_at, row.outcome = utcnow(), outcome[:200]
    db.session.flush()
    return outcome


def _intent(obj: dict, target: str) -> str:
    payment_id = as_uuid((obj.get("metadata") or {}).get("payment_id"))
    payment = db.session.get(Payment, payment_id) if payment_id else None
    if payment is None and obj.get("id"):
        payment = db.session.scalars(select(Payment).where(
            Payment.gateway_payment_id == obj["id"])).first()
    if payment is None:
        log.warning("stripe event for unknown PaymentIntent %s", obj.get("id"))
        return "ignored: unknown payment"
    payment = payments.locked(payment.id)
    before = payment.status
    payments.apply(payment, target, gateway.intent_outcome(obj))
    return f"payment {before} -> {payment.status}"


def _refund(obj: dict) -> str:
    refund = refunds.find(obj.get("id"), (obj.get("metadata") or {}).get("refund_id"))
    if refund is None:
        log.warning("stripe event for unknown refund %s", obj.get("id"))
        return "ignored: unknown refund"
    before = refund.status
    refund = refunds.record(refund.id, gateway.refund_outcome(obj))
    return f"refund {before} -> {refund.status}"
