"""Webhook lists: endpoints, an endpoint's deliveries with their attempts, events.
Deliveries and events grow without bound: keyset pages, newest first."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.core import keyset
from app.core.actor import Actor
from app.extensions import db
from app.webhooks import service, types
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


def endpoints(actor: Actor) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.deleted_at.is_(None)) \
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    if actor.kind == "apikey":
        stmt = stmt.where(WebhookEndpoint.api_key_id == actor.id)
    return list(db.session.scalars(stmt))


def deliveries(endpoint_id, *, actor: Actor, cursor: str | None = None, limit: int = 50):
    """(rows, {delivery id: [attempts]}, {event id: event}, next cursor)."""
    endpoint = service.visible(endpoint_id, actor)
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    rows, next_cursor = keyset.page(stmt, WebhookDelivery, cursor=cursor, limit=limit)
    return (rows, attempts_of([r.id for r in rows]), events_of([r.event_id for r in rows]),
            next_cursor)


def attempts_of(delivery_ids: list) -> dict:
    found = defaultdict(list)
    if delivery_ids:
        for attempt in db.session.scalars(
                select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(delivery_ids))
                .order_by(WebhookAttempt.number)):
            found[attempt.delivery_id].append(attempt)
    return found


def events_of(event_ids: list) -> dict:
    if not event_ids:
        return {}
    return {e.id: e for e in db.session.scalars(
        select(WebhookEvent).where(WebhookEvent.id.in_(set(event_ids))))}


def events(*, actor: Actor, type_name: str | None = None, object_id: str | None = None,
           cursor: str | None = None, limit: int = 50):
    """Public events newest first; a partner sees the types its key's scopes cover."""
    allowed = [t.name for t in types.PUBLIC_TYPES
               if actor.kind != "apikey" or t.scope in actor.scopes]
    if type_name:
        allowed = [t for t in allowed if t == type_name]
    stmt = select(WebhookEvent).where(WebhookEvent.type.in_(allowed))
    if object_id:
        stmt = stmt.where(WebhookEvent.object_id == object_id)
    return keyset.page(stmt, WebhookEvent, cursor=cursor, limit=limit)
