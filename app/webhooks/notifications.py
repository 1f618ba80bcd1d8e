"""Telling a partner their endpoint was disabled (an event handler, run as a job)."""
from flask import current_app

from app.core.types import as_uuid
from app.extensions import db
from app.notifications.service import Recipient, notify
from app.webhooks.models import WebhookEndpoint


def send_disabled(evt) -> None:
    endpoint = db.session.get(WebhookEndpoint, as_uuid(evt.payload["endpoint_id"]))
    if endpoint is None or not endpoint.contact_email:
        return
    notify(Recipient(email=endpoint.contact_email), "webhook_disabled", {
        "url": endpoint.url, "endpoint_id": str(endpoint.id),
        "reason": evt.payload.get("reason") or endpoint.disabled_reason or "-",
        "seller": current_app.config["SELLER_NAME"],
    }, dedupe_key=f"{evt.id}:webhook-disabled")
