"""#13 finding 8 through the API: failed logins are audited (they survive the rollback of
the failed request), with the server's request id, the caller's X-Request-ID apart and
length-limited, and the client IP seen through the trusted proxies."""
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from tests.conftest import make_client, own_app
from tests.factories import PASSWORD


def _entries(action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.occurred_at)).all()


def test_failed_logins_are_audited_with_their_origin(client, factories):
    user = factories.user()
    resp = client.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong-wrong-1"},
                       headers={"X-Request-ID": "trace-abc-123"},
                       environ_base={"REMOTE_ADDR": "198.51.100.30"})
    assert resp.status_code == 401
    client.post("/api/v1/auth/login", json={"email": "ghost@example.com", "password": PASSWORD})
    client.post("/api/v1/auth/login", json={"email": PASSWORD, "password": PASSWORD})
    wrong, ghost, typo = _entries("user.login_failed")
    assert wrong.target_id == str(user.id) and wrong.after["reason"] == "wrong_password"
    assert wrong.request_id == resp.headers["X-Request-ID"] and uuid.UUID(wrong.request_id)
    assert wrong.client_request_id == "trace-abc-123" and wrong.ip == "198.51.100.30"
    assert ghost.target_id is None and ghost.after == {"email": "ghost@example.com",
                                                       "reason": "no_account"}
    # A password typed into the email field is not written down.
    assert PASSWORD not in str(typo.after)


@pytest.mark.parametrize("forged", ["a\r\nX-Injected: 1", "x" * 10_000, "caf\u00e9"])
def test_forged_request_ids_are_dropped(client, forged):
    try:
        resp = client.get("/healthz", headers={"X-Request-ID": forged})
    except ValueError:  # the test client itself refuses a header with a newline
        return
    assert uuid.UUID(resp.headers["X-Request-ID"])
    assert "X-Client-Request-ID" not in resp.headers


def test_audit_ip_is_the_client_behind_the_trusted_proxy(tmp_path):
    with own_app(tmp_path, TRUSTED_PROXIES="1") as app:
        from tests import factories

        user = factories.user()
        from app.core import uow

        uow.commit()
        make_client(app).post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD},
                              headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.77"})
        [entry] = _entries("user.login")
        assert entry.ip == "203.0.113.77"
