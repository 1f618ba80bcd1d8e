"""Webhook test helpers: a partner key with the webhook scopes, endpoints made through
the API, and the app configured to reach the local receiver quickly."""
from __future__ import annotations

import pytest

from tests.factories import api_key, bearer

SCOPES = ("webhooks:read", "webhooks:write", "orders:read", "invoices:read")


@pytest.fixture
def hooks(app, monkeypatch):
    """Private targets allowed (the receiver is on 127.0.0.1) and retries due at once."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_BASE_SECONDS", 0.001)
    return app


@pytest.fixture
def partner():
    key, secret = api_key(SCOPES, name="Webhook partner")
    return key, bearer(secret)


def create_endpoint(client, headers, url, event_types=("order.placed", "order.paid"), **extra):
    resp = client.post("/api/v1/webhooks/endpoints", headers=headers, json={
        "url": url, "event_types": list(event_types),
        "contact_email": "ops@partner.example.com", **extra})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()
