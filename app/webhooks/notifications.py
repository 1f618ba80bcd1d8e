"""Telling a partner their endpoint was disabled (an event handler, run as a job)."""
from flask import current_app

from app.core.types import as_uuid
from app.extensions import db
from app.notifications import email
from app.webhooks.models import WebhookEndpoint


def send_disabled(evt) -> None:
    endpoint = db.session.get(WebhookEndpoint, as_uuid(evt.payload["endpoint_id"]))
    if endpoint is None or not endpoint.contact_email:
        return
    email.send(
        endpoint.contact_email,
        "Your webhook endpoint was disabled",
        f"Hello,\n\nWe stopped sending events to {endpoint.url}.\n\n"
        f"Reason: {evt.payload.get('reason') or endpoint.disabled_reason}\n\n"
        "Events are kept: once the receiver answers again, enable the endpoint "
        "(PATCH /api/v1/webhooks/endpoints/{id} with {\"enabled\": true}) and replay what "
        f"it missed.\n\n{current_app.config['SELLER_NAME']}\n",
        idempotency_key=f"{evt.id}:webhook-disabled",
    )
