"""Customers: support deactivates and reactivates through the users service."""
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from tests.factories import PASSWORD


def test_deactivate_blocks_api_login_and_reactivate_restores_it(login_as, client, factories):
    user = factories.user()
    bo, agent = login_as("support")

    resp = bo.action("/admin/customers/", "deactivate", [user.id])
    assert resp.status_code == 302
    login = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 401  # as a wrong password: nothing confirmed (#13)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.deactivate", AuditEntry.target_id == str(user.id))).one()
    assert entry.actor_id == agent.id

    resp = bo.action("/admin/customers/", "reactivate", [user.id])
    assert resp.status_code == 302
    login = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 200


def test_deactivating_twice_is_a_message(login_as, factories):
    user = factories.user()
    bo, _ = login_as("admin")
    bo.action("/admin/customers/", "deactivate", [user.id])
    bo.action("/admin/customers/", "deactivate", [user.id])
    html = bo.get("/admin/customers/").get_data(as_text=True)
    assert "This account is already deactivated." in html


def test_search_by_email_and_no_password_hash_anywhere(login_as, factories):
    alice = factories.user(email_addr="alice.search@example.com")
    factories.user(email_addr="bob.search@example.com")
    bo, _ = login_as("support")
    html = bo.get("/admin/customers/?search=alice.search").get_data(as_text=True)
    assert "alice.search@example.com" in html and "bob.search@example.com" not in html
    details = bo.get(f"/admin/customers/details/?id={alice.id}").get_data(as_text=True)
    assert "alice.search@example.com" in details
    assert "argon2" not in html and "argon2" not in details


def test_no_create_or_delete(login_as, factories):
    user = factories.user()
    bo, _ = login_as("admin")
    assert bo.get("/admin/customers/new/").status_code == 403
    resp = bo.post("/admin/customers/delete/", {"id": str(user.id)},
                   token_from="/admin/customers/")
    assert resp.status_code == 403
