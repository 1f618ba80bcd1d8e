"""API keys: created in the back office, shown once, usable at the API, revocable."""
import re

from sqlalchemy import select

from app.apikeys.models import ApiKey
from app.audit.models import AuditEntry
from app.extensions import db
from tests.factories import bearer


def _create(bo, name="Acme ERP", scopes=("orders:read", "catalog:write")):
    resp = bo.post("/admin/api-keys/new/", {"name": name, "scopes": list(scopes)})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    match = re.search(r'id="new-api-key">([^<]+)<', resp.get_data(as_text=True))
    assert match, "the new key is not on the page"
    return resp, match.group(1).strip()


def test_created_key_is_shown_once_and_authenticates(login_as, client):
    bo, admin = login_as("admin")
    resp, secret = _create(bo)
    assert secret.startswith("ngm_")
    assert resp.headers["Cache-Control"] == "no-store"

    who = client.get("/api/v1/auth/whoami", headers=bearer(secret))
    assert who.status_code == 200, who.get_json()
    assert who.get_json()["kind"] == "apikey"
    assert who.get_json()["scopes"] == ["catalog:write", "orders:read"]

    key = db.session.scalars(select(ApiKey).where(ApiKey.name == "Acme ERP")).one()
    listing = bo.get("/admin/api-keys/").get_data(as_text=True)
    assert key.prefix in listing and "orders:read" in listing
    secret_part = secret.split("_", 2)[2]  # ngm_<prefix>_<secret>
    assert secret not in listing and secret_part not in listing
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "apikey.create", AuditEntry.actor_id == admin.id)).one()


def test_revoke_action_makes_the_key_fail(login_as, client):
    bo, _ = login_as("admin")
    _, secret = _create(bo, name="Soon gone")
    assert client.get("/api/v1/auth/whoami", headers=bearer(secret)).status_code == 200
    key = db.session.scalars(select(ApiKey).where(ApiKey.name == "Soon gone")).one()

    resp = bo.action("/admin/api-keys/", "revoke", [key.id])
    assert resp.status_code == 302
    assert client.get("/api/v1/auth/whoami", headers=bearer(secret)).status_code == 401

    # Revoking twice is a domain conflict, shown as a message, not an error page.
    resp = bo.action("/admin/api-keys/", "revoke", [key.id])
    assert resp.status_code == 302
    assert "already revoked" in bo.get("/admin/api-keys/").get_data(as_text=True)


def test_key_needs_name_and_scope(login_as):
    bo, _ = login_as("admin")
    resp = bo.post("/admin/api-keys/new/", {"name": "No scopes"})
    assert resp.status_code == 200
    assert "new-api-key" not in resp.get_data(as_text=True)
    assert db.session.scalars(select(ApiKey)).first() is None
