"""End-user identity through the API: register, verify, log in, refresh, log out, reset."""
import re
import uuid

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.users.models import User
from tests.factories import PASSWORD, bearer, login

TOKEN_RE = re.compile(r"token=([A-Za-z0-9_\-.]+)")


def _token_from(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return TOKEN_RE.search(body).group(1)


def test_register_normalises_and_ignores_duplicates_case_insensitively(client):
    resp = client.post("/api/v1/auth/register",
                       json={"email": "  Jane.Doe@EXAMPLE.com ", "password": PASSWORD})
    assert resp.status_code == 202
    user = db.session.scalars(select(User)).one()
    assert user.email == "jane.doe@example.com" and user.email_verified_at is None

    # The same answer for a taken email (#13 finding 4); no second account.
    dup = client.post("/api/v1/auth/register",
                      json={"email": "JANE.DOE@example.com", "password": PASSWORD})
    assert dup.status_code == 202 and dup.get_data() == resp.get_data()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_register_rejects_bad_email_and_weak_password_and_writes_nothing(client):
    for payload in ({"email": "not-an-email", "password": PASSWORD},
                    {"email": "ok@example.com", "password": "short"},
                    {"email": "ok@example.com", "password": "aaaaaaaaaaaa"}):
        resp = client.post("/api/v1/auth/register", json=payload)
        assert resp.status_code == 422, payload
        body = resp.get_json()
        assert set(body) >= {"code", "status", "message", "errors", "request_id"}
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_verification_email_arrives_over_smtp_and_verifies(client, smtp):
    resp = client.post("/api/v1/auth/register",
                       json={"email": "verify.me@example.com", "password": PASSWORD,
                             "full_name": "Verity"})
    assert resp.status_code == 202
    [message] = smtp.wait_for(1)
    assert message["To"] == "verify.me@example.com"
    assert "Confirm your email" in message["Subject"]
    token = _token_from(message)

    ok = client.post("/api/v1/auth/verify-email", json={"token": token})
    assert ok.status_code == 200
    assert ok.get_json()["email_verified"] is True

    forged = client.post("/api/v1/auth/verify-email", json={"token": token[:-2] + "xx"})
    assert forged.status_code == 422


def test_verification_link_expires(client, app, factories, monkeypatch):
    from datetime import timedelta

    from app.users import service

    user = factories.user()
    token = service.verification_token(user)
    monkeypatch.setitem(app.config, "EMAIL_TOKEN_TTL", timedelta(seconds=-1))
    resp = client.post("/api/v1/auth/verify-email", json={"token": token})
    assert resp.status_code == 422
    assert "expired" in resp.get_json()["message"].lower()


def test_login_wrong_password_and_unknown_account_look_the_same(client, factories):
    user = factories.user()
    wrong = client.post("/api/v1/auth/login", json={"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post("/api/v1/auth/login",
                          json={"email": "ghost@example.com", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["message"] == unknown.get_json()["message"]


def test_refresh_rotates_and_reuse_revokes_the_family(client, factories):
    user = factories.user()
    first = login(client, user.email)
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.get_json()
    assert second["refresh_token"] != first["refresh_token"]

    # The spent token comes back: someone stole it. The whole session dies.
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    me = client.get("/api/v1/users/me", headers=bearer(second["access_token"]))
    assert me.status_code == 401
    # Another login (another family) is unaffected.
    other = login(client, user.email)
    assert client.get("/api/v1/users/me", headers=bearer(other["access_token"])).status_code == 200


def test_logout_ends_access_and_refresh(client, factories):
    user = factories.user()
    tokens = login(client, user.email)
    headers = bearer(tokens["access_token"])
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401


def test_expired_and_forged_access_tokens_are_401(client, app, factories, monkeypatch):
    from datetime import timedelta

    user = factories.user()
    monkeypatch.setitem(app.config, "JWT_ACCESS_TTL", timedelta(seconds=-10))
    expired = login(client, user.email)["access_token"]
    resp = client.get("/api/v1/users/me", headers=bearer(expired))
    assert resp.status_code == 401
    assert "expired" in resp.get_json()["message"].lower()
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    monkeypatch.setitem(app.config, "JWT_ACCESS_TTL", timedelta(minutes=5))
    good = login(client, user.email)["access_token"]
    header, payload, sig = good.split(".")
    forged = f"{header}.{payload}.{sig[::-1]}"
    assert client.get("/api/v1/users/me", headers=bearer(forged)).status_code == 401


def test_password_reset_by_email_works_once_and_ends_sessions(client, smtp, factories):
    user = factories.user()
    old = login(client, user.email)
    resp = client.post("/api/v1/auth/password-reset", json={"email": user.email.upper()})
    assert resp.status_code == 202
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "ghost@example.com"})
    assert unknown.status_code == 202  # same answer: existence is not revealed
    messages = smtp.wait_for(1)
    reset = [m for m in messages if "Reset your password" in m["Subject"]]
    assert len(reset) == 1 and reset[0]["To"] == user.email
    token = _token_from(reset[0])

    new_password = "a brand new passphrase 42"
    ok = client.post("/api/v1/auth/password-reset/confirm",
                     json={"token": token, "password": new_password})
    assert ok.status_code == 204
    again = client.post("/api/v1/auth/password-reset/confirm",
                        json={"token": token, "password": "yet another passphrase 7"})
    assert again.status_code == 422  # one use only
    assert client.get("/api/v1/users/me", headers=bearer(old["access_token"])).status_code == 401
    assert client.post("/api/v1/auth/login",
                       json={"email": user.email, "password": PASSWORD}).status_code == 401
    login(client, user.email, new_password)


def test_profile_patch_requires_matching_etag(client, factories):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    got = client.get("/api/v1/users/me", headers=headers)
    etag = got.headers["ETag"]

    missing = client.patch("/api/v1/users/me", json={"full_name": "X"}, headers=headers)
    assert missing.status_code == 428
    ok = client.patch("/api/v1/users/me", json={"full_name": "Jo Bloggs", "country": "de"},
                      headers={**headers, "If-Match": etag})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["country"] == "DE"
    stale = client.patch("/api/v1/users/me", json={"full_name": "Lost update"},
                         headers={**headers, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get("/api/v1/users/me", headers=headers).get_json()["full_name"] == "Jo Bloggs"

    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.before == {"full_name": "Test User", "country": None}
    assert entry.after == {"full_name": "Jo Bloggs", "country": "DE"}
    assert entry.actor_kind == "user" and entry.request_id


def test_deactivated_user_cannot_log_in_and_data_is_kept(client, factories):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    assert client.delete("/api/v1/users/me", headers=headers).status_code == 204
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    # #13 finding 10: the same answer whatever the password (a 403 would confirm it).
    right = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    wrong = client.post("/api/v1/auth/login", json={"email": user.email, "password": "nope-nope-nope"})
    assert right.status_code == wrong.status_code == 401
    assert right.get_json()["message"] == wrong.get_json()["message"] == "Invalid email or password."
    kept = db.session.get(User, user.id)
    assert kept is not None and kept.is_active is False and kept.email == user.email


def test_change_password_needs_the_current_one(client, factories):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    bad = client.post("/api/v1/users/me/password", headers=headers,
                      json={"current_password": "wrong-wrong-wrong", "new_password": "fresh passphrase 9"})
    assert bad.status_code == 422
    ok = client.post("/api/v1/users/me/password", headers=headers,
                     json={"current_password": PASSWORD, "new_password": "fresh passphrase 9"})
    assert ok.status_code == 204
    login(client, user.email, "fresh passphrase 9")


def test_failed_logins_are_rate_limited_per_account(client, app, factories):
    user = factories.user()
    for _ in range(5):
        resp = client.post("/api/v1/auth/login", json={"email": user.email, "password": "bad-bad-bad-bad"})
        assert resp.status_code == 401
    blocked = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    body = blocked.get_json()
    assert body["code"] == 429 and body["request_id"]
    # Another account from the same address is not blocked by this account's limit.
    other = factories.user()
    assert client.post("/api/v1/auth/login",
                       json={"email": other.email, "password": PASSWORD}).status_code == 200


def test_failed_logins_are_rate_limited_per_ip(client, app, factories, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_IP", "3 per 15 minutes")
    for i in range(3):
        client.post("/api/v1/auth/login",
                    json={"email": f"nobody{i}@example.com", "password": "bad-bad-bad-bad"})
    resp = client.post("/api/v1/auth/login",
                       json={"email": "someone-else@example.com", "password": "bad-bad-bad-bad"})
    assert resp.status_code == 429


def test_partner_key_and_whoami(client, factories):
    key, secret = factories.api_key(scopes=["orders:read", "catalog:write"])
    resp = client.get("/api/v1/auth/whoami", headers=bearer(secret))
    assert resp.status_code == 200
    assert resp.get_json()["scopes"] == ["catalog:write", "orders:read"]
    assert client.get("/api/v1/users/me", headers=bearer(secret)).status_code == 403
    wrong = secret[:-3] + "abc"
    assert client.get("/api/v1/auth/whoami", headers=bearer(wrong)).status_code == 401
    db.session.refresh(key)
    assert key.last_used_at is not None
    assert key.key_hash not in secret  # only a hash is stored


def test_request_id_is_the_servers_and_the_callers_is_kept_apart(client):
    resp = client.post("/api/v1/auth/login", json={"email": "x@example.com", "password": "p"},
                       headers={"X-Request-ID": "req-1234567890"})
    rid = resp.headers["X-Request-ID"]
    assert uuid.UUID(rid) and resp.get_json()["request_id"] == rid
    assert resp.headers["X-Client-Request-ID"] == "req-1234567890"
    generated = client.get("/healthz")
    assert uuid.UUID(generated.headers["X-Request-ID"])
    assert "X-Client-Request-ID" not in generated.headers


def test_fast_me_serializer_matches_the_schema(client, factories):
    from api.users.schemas import UserSchema
    from api.users.serialize import user_dict
    from app.users import service

    user = factories.user(verified=True)
    service.update_profile(user.id, {"phone": "+44 20 7946 0000", "country": "gb"},
                           actor=service.actor_for(user))
    tokens = login(client, user.email)
    current, _ = service.authenticate(tokens["access_token"])
    assert user_dict(current) == UserSchema().dump(current)
    db.session.refresh(user)
    assert user_dict(user) == UserSchema().dump(user)
    resp = client.get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
    assert resp.get_json() == user_dict(current)
    again = client.get("/api/v1/users/me", headers={**bearer(tokens["access_token"]),
                                                    "If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304
