"""Outbox event handlers (registered in app.events.registry)."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.webhooks import delivery, sequence, types
from app.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


def fan_out(evt) -> None:
    """An outbox event partners hear of: the public event (its body frozen, the object
    as the API returns it now) and one delivery per subscribed endpoint."""
    for public in types.for_source(evt.type, evt.payload):
        object_id = str(evt.payload[public.id_key])
        seq = evt.payload.get("sequence") or sequence.next_number(object_id)
        obj = types.render(public, object_id)
        event_id = uuid.uuid4()
        event = WebhookEvent(
            id=event_id, type=public.name, source_event_id=evt.id, object_id=object_id,
            sequence=seq, created_at=evt.created_at,
            body=delivery.event_body(event_id, public.name, evt.created_at, seq, obj))
        db.session.add(event)
        db.session.flush()  # before its deliveries: no relationship orders the inserts
        ids = [deliver_to(event, endpoint.id) for endpoint in subscribers(public.name)]
        db.session.flush()
        delivery.start(ids, here=True)


def subscribers(type_name: str) -> list[WebhookEndpoint]:
    # Endpoints are few (one or two per partner): filtered here, the same on both databases.
    endpoints = db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.enabled.is_(True), WebhookEndpoint.deleted_at.is_(None)))
    return [e for e in endpoints if type_name in (e.event_types or ())]


def deliver_to(event: WebhookEvent, endpoint_id, kind: str = "event") -> uuid.UUID:
    row = WebhookDelivery(id=uuid.uuid4(), event_id=event.id, endpoint_id=endpoint_id,
                          kind=kind, status="pending", next_attempt_at=utcnow())
    db.session.add(row)
    return row.id
