"""Webhook resources as the API returns them (WebhookEndpointSchema & co dump these)."""
from __future__ import annotations

import orjson


def endpoint_dict(endpoint, secret: str | None = None) -> dict:
    out = {"id": endpoint.id, "url": endpoint.url, "event_types": list(endpoint.event_types),
           "contact_email": endpoint.contact_email, "description": endpoint.description,
           "enabled": endpoint.enabled, "disabled_reason": endpoint.disabled_reason,
           "disabled_at": endpoint.disabled_at,
           "previous_secret_valid_until": endpoint.previous_secret_expires_at,
           "created_at": endpoint.created_at, "updated_at": endpoint.updated_at}
    if secret is not None:
        out["secret"] = secret
    return out


def delivery_dict(delivery, event, attempts) -> dict:
    return {"id": delivery.id, "event_id": delivery.event_id, "event_type": event.type,
            "endpoint_id": delivery.endpoint_id, "kind": delivery.kind,
            "status": delivery.status, "attempt_count": delivery.attempts,
            "next_attempt_at": delivery.next_attempt_at,
            "last_status_code": delivery.last_status_code, "last_error": delivery.last_error,
            "created_at": delivery.created_at, "completed_at": delivery.completed_at,
            "request_body": event.body,
            "attempts": [{"number": a.number, "started_at": a.started_at,
                          "duration_ms": a.duration_ms, "response_status": a.response_status,
                          "response_excerpt": a.response_excerpt, "error": a.error,
                          "next_retry_at": a.next_retry_at} for a in attempts]}


def event_dict(event) -> dict:
    return {"id": event.id, "type": event.type, "object_id": event.object_id,
            "sequence": event.sequence, "created_at": event.created_at,
            "payload": orjson.loads(event.body)}
