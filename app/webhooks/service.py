"""Webhook endpoints: partners manage their own (API key with webhooks:write), staff any.
One function per operation; lists are in app.webhooks.queries."""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from flask import current_app
from app.audit import service as audit
from app.core.actor import Actor
from app.core.emails import normalise_email
from app.core.errors import InvalidInput, NotFound, PermissionDenied
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.webhooks import delivery, sequence, targets, types
from app.webhooks.handlers import deliver_to
from app.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

SECRET_PREFIX = "whsec_"


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def check_event_types(event_types, actor: Actor) -> list[str]:
    wanted = list(dict.fromkeys(event_types or []))
    unknown = [t for t in wanted if types.by_name(t) is None]
    if unknown or not wanted:
        raise InvalidInput("Unknown or missing event types.", errors={"event_types": [
            f"Choose from: {', '.join(types.NAMES)}."]})
    if actor.kind == "apikey":
        missing = sorted({types.by_name(t).scope for t in wanted} - set(actor.scopes))
        if missing:
            raise PermissionDenied(f"API key lacks scope(s) {', '.join(missing)} for these "
                                   "event types.")
    return wanted


def _public(endpoint: WebhookEndpoint) -> dict:
    return {"url": endpoint.url, "event_types": list(endpoint.event_types or []),
            "enabled": endpoint.enabled, "contact_email": endpoint.contact_email,
            "description": endpoint.description}


def create(*, url: str, event_types, contact_email: str, description: str = "",
           enabled: bool = True, actor: Actor) -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its signing secret, which is never shown again."""
    secret = _new_secret()
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(), api_key_id=actor.id if actor.kind == "apikey" else None,
        url=targets.check_url(url), event_types=check_event_types(event_types, actor),
        contact_email=normalise_email(contact_email), description=(description or "")[:200],
        secret=secret, enabled=bool(enabled), created_by=actor.label[:255])
    db.session.add(endpoint)
    audit.record(actor, "webhook_endpoint.create", "webhook_endpoint", endpoint.id,
                 after=_public(endpoint))
    db.session.flush()
    return endpoint, secret


def visible(endpoint_id, actor: Actor) -> WebhookEndpoint:
    """A partner's own endpoint (another's is 'not found'); staff see every one."""
    ident = as_uuid(endpoint_id)
    endpoint = db.session.get(WebhookEndpoint, ident) if ident else None
    if endpoint is None or endpoint.deleted_at is not None or (
            actor.kind == "apikey" and endpoint.api_key_id != actor.id):
        raise NotFound("Webhook endpoint not found.")
    return endpoint


def update_endpoint(endpoint_id, changes: dict, *, actor: Actor) -> WebhookEndpoint:
    endpoint = visible(endpoint_id, actor)
    before = _public(endpoint)
    if "url" in changes:
        endpoint.url = targets.check_url(changes["url"])
    if "event_types" in changes:
        endpoint.event_types = check_event_types(changes["event_types"], actor)
    if "contact_email" in changes:
        endpoint.contact_email = normalise_email(changes["contact_email"])
    if "description" in changes:
        endpoint.description = (changes["description"] or "")[:200]
    if "enabled" in changes and bool(changes["enabled"]) != endpoint.enabled:
        endpoint.enabled = bool(changes["enabled"])
        # Enabled again: a fresh start, the 3 days of failures count from the next one.
        endpoint.disabled_reason = None if endpoint.enabled else "Disabled by its owner."
        endpoint.disabled_at = None if endpoint.enabled else utcnow()
        endpoint.failing_since = None
    old, new = audit.changed(before, _public(endpoint))
    if new:
        audit.record(actor, "webhook_endpoint.update", "webhook_endpoint", endpoint.id,
                     before=old, after=new)
    db.session.flush()
    return endpoint


def disable(endpoint_id, *, actor: Actor, reason: str = "") -> WebhookEndpoint:
    """Staff stop an endpoint (its partner is told)."""
    endpoint = visible(endpoint_id, actor)
    if endpoint.enabled:
        delivery.disable(endpoint, reason.strip() or f"Disabled by {actor.label}.", actor=actor)
    return endpoint


def enable(endpoint_id, *, actor: Actor) -> WebhookEndpoint:
    return update_endpoint(endpoint_id, {"enabled": True}, actor=actor)


def delete(endpoint_id, *, actor: Actor) -> None:
    """Kept (its deliveries name it) but gone: nothing more is sent to it."""
    endpoint = visible(endpoint_id, actor)
    endpoint.deleted_at, endpoint.enabled = utcnow(), False
    audit.record(actor, "webhook_endpoint.delete", "webhook_endpoint", endpoint.id,
                 before=_public(endpoint))
    db.session.flush()


def rotate_secret(endpoint_id, *, actor: Actor,
                  now: datetime | None = None) -> tuple[WebhookEndpoint, str]:
    """A new secret; the one it replaces stays valid (events are signed with both) for
    WEBHOOK_SECRET_OVERLAP_SECONDS (24 h), so receivers can switch without a gap."""
    endpoint = visible(endpoint_id, actor)
    now = now or utcnow()
    secret = _new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + timedelta(
        seconds=current_app.config["WEBHOOK_SECRET_OVERLAP_SECONDS"])
    endpoint.secret = secret
    audit.record(actor, "webhook_endpoint.rotate_secret", "webhook_endpoint", endpoint.id,
                 after={"previous_valid_until": endpoint.previous_secret_expires_at})
    db.session.flush()
    return endpoint, secret


def send_test(endpoint_id, *, actor: Actor) -> WebhookDelivery:
    """A ``webhook.test`` event to this endpoint only (sent even when disabled, so a
    partner can check a repaired receiver before enabling it; never retried)."""
    endpoint = visible(endpoint_id, actor)
    event_id, now = uuid.uuid4(), utcnow()
    seq = sequence.next_number(str(endpoint.id))
    obj = {"id": str(endpoint.id), "object": "webhook_endpoint", "url": endpoint.url,
           "message": "A test event: your endpoint receives and verifies our webhooks."}
    event = WebhookEvent(id=event_id, type=types.TEST_TYPE, object_id=str(endpoint.id),
                         sequence=seq, created_at=now,
                         body=delivery.event_body(event_id, types.TEST_TYPE, now, seq, obj))
    db.session.add(event)
    db.session.flush()  # before its delivery: no relationship orders the inserts
    return _send(event, endpoint, "test", actor)


def replay(endpoint_id, event_id, *, actor: Actor) -> WebhookDelivery:
    """The stored event (same id, same body) sent again to this endpoint."""
    endpoint = visible(endpoint_id, actor)
    event = visible_event(event_id, actor)
    return _send(event, endpoint, "replay", actor)


def visible_event(event_id, actor: Actor) -> WebhookEvent:
    ident = as_uuid(event_id)
    event = db.session.get(WebhookEvent, ident) if ident else None
    if event is None or (actor.kind == "apikey" and not _may_see(event.type, actor)):
        raise NotFound("Event not found.", errors={"event_id": ["No such event."]})
    return event


def _may_see(type_name: str, actor: Actor) -> bool:
    public = types.by_name(type_name)
    return public is not None and public.scope in actor.scopes


def _send(event: WebhookEvent, endpoint: WebhookEndpoint, kind: str,
          actor: Actor) -> WebhookDelivery:
    delivery_id = deliver_to(event, endpoint.id, kind)
    audit.record(actor, f"webhook_endpoint.{kind}", "webhook_endpoint", endpoint.id,
                 after={"event_id": event.id, "type": event.type})
    db.session.flush()
    delivery.start([delivery_id])
    return db.session.get(WebhookDelivery, delivery_id)

