"""One error shape for everything under /api/: {code, status, message, errors?, request_id}.

Bad input of every kind is refused with the right status, writes nothing and logs
nothing at ERROR level."""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, DomainError, InvalidInput, NotFound
from app.core.text import MESSAGE
from app.extensions import db
from app.users import tokens
from tests.factories import PASSWORD, api_key, bearer, login, user

SHAPE = {"code", "status", "message", "request_id"}


def assert_error(resp, status: int, *, errors: bool | None = None) -> dict:
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:500])
    assert resp.mimetype == "application/json", resp.mimetype
    body = resp.get_json()
    assert SHAPE <= set(body) <= SHAPE | {"errors"}, body
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"] == resp.headers["X-Request-ID"]
    if errors is True:
        assert isinstance(body.get("errors"), dict) and body["errors"], body
    elif errors is False:
        assert "errors" not in body, body
    return body


def _row_counts() -> dict[str, int]:
    db.session.expire_all()
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
              for t in db.metadata.sorted_tables}
    # A refusal writes nothing, but the audit entry of a failed sign-in (#13) is kept.
    audit = db.metadata.tables["audit_entries"]
    counts["audit_entries"] = db.session.scalar(
        select(func.count()).select_from(audit).where(~audit.c.action.like("%_failed")))
    return counts


@pytest.fixture
def quiet(app, caplog):
    """Yields; then asserts no table grew and nothing was logged at ERROR or above."""
    caplog.set_level(logging.WARNING)

    class Guard:
        def __enter__(self):
            self.before = _row_counts()
            caplog.clear()
            return self

        def __exit__(self, *exc):
            if exc[0] is None:
                assert _row_counts() == self.before, "a refused request wrote rows"
                loud = [r for r in caplog.records if r.levelno >= logging.ERROR]
                assert not loud, [r.getMessage() for r in loud]

    return Guard()


@pytest.fixture
def signed_in(app, client):
    u = user(verified=True)
    return u, login(client, u.email)["access_token"]


# --- malformed and invalid bodies --------------------------------------------------------

BODY_ENDPOINTS = [
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/verify-email"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
]


@pytest.mark.parametrize("method,path", BODY_ENDPOINTS)
def test_malformed_json_is_400(client, quiet, method, path):
    with quiet:
        for raw in ('{"email": ', "{'single': 'quotes'}", "\xff\xfe", "[1, 2"):
            resp = client.open(path, method=method, data=raw, content_type="application/json")
            body = assert_error(resp, 400)
            assert body["errors"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize("payload,field,message", [
    ({"email": 42, "password": PASSWORD}, "email", "Not a valid string."),
    ({"email": "a@example.com", "password": PASSWORD, "admin": True}, "admin", "Unknown field."),
    ({"password": PASSWORD}, "email", "Missing data for required field."),
    ({"email": "a@example.com", "password": PASSWORD, "full_name": "x" * 201}, "full_name", None),
    ({"email": None, "password": PASSWORD}, "email", "Field may not be null."),
])
def test_invalid_body_is_422_with_field_errors(client, quiet, payload, field, message):
    with quiet:
        resp = client.post("/api/v1/auth/register", json=payload)
        body = assert_error(resp, 422, errors=True)
        assert field in body["errors"]["json"], body
        if message:
            assert message in body["errors"]["json"][field]


@pytest.mark.parametrize("payload", [[], [{"email": "a@example.com"}], "text", 7, None])
def test_body_that_is_not_an_object_is_422(client, quiet, payload):
    with quiet:
        resp = client.post("/api/v1/auth/login", json=payload)
        assert_error(resp, 422, errors=True)


def test_form_encoded_body_is_422_not_500(client, quiet):
    with quiet:
        resp = client.post("/api/v1/auth/login", data={"email": "a@example.com", "password": "x"})
        body = assert_error(resp, 422, errors=True)
        assert set(body["errors"]["json"]) == {"email", "password"}


def test_invalid_profile_update_is_422(client, quiet, signed_in):
    _, token = signed_in
    etag = client.get("/api/v1/users/me", headers=bearer(token)).headers["ETag"]
    headers = {**bearer(token), "If-Match": etag}
    with quiet:
        for payload in ({"country": "France"}, {"phone": "call me"}, {"email": "x@example.com"},
                        {"full_name": ["x"]}, {"full_name": None}):
            resp = client.patch("/api/v1/users/me", json=payload, headers=headers)
            assert_error(resp, 422, errors=True)
        assert_error(client.patch("/api/v1/users/me", json={"full_name": "X"},
                                  headers=bearer(token)), 428)
        assert_error(client.patch("/api/v1/users/me", json={"full_name": "X"},
                                  headers={**bearer(token), "If-Match": '"stale"'}), 412)


def test_body_over_max_content_length_is_413_json(app, client, quiet):
    limit = app.config["MAX_CONTENT_LENGTH"]
    with quiet:
        for path in ("/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/refresh"):
            resp = client.post(path, data=b'{"email": "' + b"a" * limit + b'"}',
                               content_type="application/json")
            assert_error(resp, 413, errors=False)


# --- routing ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/users/someone-else",
                                  "/api/v1/auth/login/extra", "/api/v2/users/me"])
def test_unknown_route_is_404_json(client, quiet, path):
    with quiet:
        assert_error(client.get(path), 404, errors=False)
        assert_error(client.post(path, json={}), 404, errors=False)


def test_missing_docs_asset_is_404_json(client, quiet):
    with quiet:
        assert_error(client.get("/api/v1/docs/assets/missing.js"), 404, errors=False)
        assert_error(client.get("/api/v1/docs/assets/../../../etc/passwd"), 404, errors=False)


@pytest.mark.parametrize("method,path,allowed", [
    ("get", "/api/v1/auth/login", {"POST"}),
    ("put", "/api/v1/users/me", {"GET", "PATCH", "DELETE"}),
    ("delete", "/api/v1/auth/whoami", {"GET"}),
    ("get", "/api/v1/users/me/password", {"POST"}),
])
def test_wrong_method_is_405_json_with_allow(client, quiet, method, path, allowed):
    with quiet:
        resp = client.open(path, method=method, json={})
        assert_error(resp, 405, errors=False)
        assert allowed <= {m.strip() for m in resp.headers["Allow"].split(",")}


# --- authentication and authorisation ---------------------------------------------------

def _bad_tokens(app, client) -> dict[str, str]:
    u = user()
    good = login(client, u.email)["access_token"]
    claims = jwt.decode(good, options={"verify_signature": False})
    key = app.config["SECRET_KEY"] + ":jwt"
    expired = dict(claims, iat=claims["iat"] - 3600, exp=claims["iat"] - 1800)
    ended = login(client, u.email)["access_token"]
    client.post("/api/v1/auth/logout", headers=bearer(ended))
    _, revoked_key = api_key(["orders:read"])
    from app.apikeys import service as apikeys
    from app.apikeys.models import ApiKey
    from app.core.actor import Actor
    row = db.session.scalars(select(ApiKey).order_by(ApiKey.created_at.desc())).first()
    apikeys.revoke(row.id, actor=Actor.system("tests"))
    return {
        "garbage": "not-a-token",
        "garbage-jwt-shape": "aaa.bbb.ccc",
        "expired": jwt.encode(expired, key, algorithm="HS256"),
        "wrong-key": jwt.encode(claims, "another-key-" + "x" * 32, algorithm="HS256"),
        "alg-none": jwt.encode(claims, None, algorithm="none"),
        "wrong-type": jwt.encode(dict(claims, typ="refresh"), key, algorithm="HS256"),
        "bad-subject": jwt.encode(dict(claims, sub="not-a-uuid"), key, algorithm="HS256"),
        "unknown-session": jwt.encode(dict(claims, sid=str(uuid.uuid4())), key,
                                      algorithm="HS256"),
        "logged-out": ended,
        "garbage-key": "ngm_abc_def",
        "bare-key-prefix": "ngm_",
        "revoked-key": revoked_key,
        "unicode": "t\u00f6ken",
    }


def test_bad_bearer_tokens_are_401_with_www_authenticate(app, client, quiet):
    bad = _bad_tokens(app, client)
    headers = [{"Authorization": f"Bearer {t}"} for t in bad.values()]
    headers += [{}, {"Authorization": ""}, {"Authorization": "Bearer"},
                {"Authorization": "Bearer    "}, {"Authorization": "Basic dXNlcjpwYXNz"},
                {"Authorization": "Token abc"}]
    with quiet:
        for header in headers:
            for method, path in (("get", "/api/v1/users/me"), ("get", "/api/v1/auth/whoami"),
                                 ("post", "/api/v1/auth/logout"),
                                 ("patch", "/api/v1/users/me"),
                                 ("post", "/api/v1/users/me/password")):
                resp = client.open(path, method=method, headers=header, json={})
                assert_error(resp, 401, errors=False)
                assert resp.headers["WWW-Authenticate"].startswith("Bearer"), header


def test_expired_access_token_says_expired(app, client, monkeypatch, quiet):
    u = user()
    monkeypatch.setitem(app.config, "JWT_ACCESS_TTL", timedelta(seconds=-60))
    with app.test_request_context():
        token, _ = tokens.issue_access_token(u.id, uuid.uuid4())
    with quiet:
        body = assert_error(client.get("/api/v1/users/me", headers=bearer(token)), 401)
        assert "expired" in body["message"].lower()


def test_partner_key_on_user_only_endpoint_is_403(client, quiet):
    from app.apikeys.service import SCOPES

    _, key = api_key(list(SCOPES))
    with quiet:
        for method, path in (("get", "/api/v1/users/me"), ("patch", "/api/v1/users/me"),
                             ("delete", "/api/v1/users/me"), ("post", "/api/v1/auth/logout"),
                             ("post", "/api/v1/users/me/password"),
                             ("post", "/api/v1/auth/verify-email/resend")):
            resp = client.open(path, method=method, headers=bearer(key),
                               json={"full_name": "Partner"})
            body = assert_error(resp, 403, errors=False)
            assert "end users" in body["message"]
        # The same key is welcome where keys are.
        assert client.get("/api/v1/auth/whoami", headers=bearer(key)).status_code == 200


def test_auth_is_checked_before_the_body(client, quiet):
    with quiet:
        resp = client.open("/api/v1/users/me/password", method="post", data="{nope",
                           content_type="application/json", headers=bearer("garbage"))
        assert_error(resp, 401)


# --- domain errors ------------------------------------------------------------------------

def test_domain_errors_use_the_same_shape(client, quiet, signed_in):
    u, token = signed_in
    with quiet:
        wrong = client.post("/api/v1/users/me/password", headers=bearer(token),
                            json={"current_password": "wrong password!",
                                  "new_password": "another good password"})
        body = assert_error(wrong, 422, errors=True)
        assert body["status"] == "Unprocessable Entity"
        assert body["errors"] == {"current_password": ["Does not match."]}

        resend = client.post("/api/v1/auth/verify-email/resend", headers=bearer(token))
        assert_error(resend, 409, errors=False)

        bad_link = client.post("/api/v1/auth/verify-email", json={"token": "forged"})
        assert_error(bad_link, 422, errors=True)

        bad_login = client.post("/api/v1/auth/login",
                                json={"email": u.email, "password": "not the password"})
        assert_error(bad_login, 401, errors=False)
        assert bad_login.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("exc,status,phrase", [
    (NotFound("No such thing."), 404, "Not Found"),
    (Conflict("Illegal transition.", errors={"state": ["Is paid."]}), 409, "Conflict"),
    (InvalidInput("Nope."), 422, "Unprocessable Entity"),
    (DomainError("Generic."), 400, "Bad Request"),
])
def test_every_domain_error_maps_to_its_status(app, exc, status, phrase):
    from api.errors import domain_error_response

    with app.test_request_context("/api/v1/anything"):
        app.preprocess_request()  # assigns the request id
        body, code, headers = domain_error_response(exc)
        assert code == status and body["code"] == status and body["status"] == phrase
        assert body["message"] == exc.message
        assert body.get("errors", {}) == exc.errors
        assert body["request_id"]
        assert headers == {}


def test_rate_limit_is_429_json_with_retry_after(app, client, quiet):
    u = user()
    with quiet:
        statuses = [client.post("/api/v1/auth/login",
                                json={"email": u.email, "password": "wrong password!"}).status_code
                    for _ in range(6)]
        assert statuses[:5] == [401] * 5
        resp = client.post("/api/v1/auth/login", json={"email": u.email, "password": PASSWORD})
        assert_error(resp, 429)
        assert int(resp.headers["Retry-After"]) > 0


def test_request_id_is_the_servers_and_the_callers_is_echoed_apart(client):
    resp = client.get("/api/v1/nope", headers={"X-Request-ID": "abc12345-trace"})
    assert assert_error(resp, 404)["request_id"] == resp.headers["X-Request-ID"] != "abc12345-trace"
    assert resp.headers["X-Client-Request-ID"] == "abc12345-trace"


def test_non_api_pages_keep_html_errors(client):
    resp = client.get("/definitely-not-here")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"


# --- NUL characters (PostgreSQL cannot store them: they must never reach the DB) ---------

def test_nul_characters_are_422_on_every_backend(client, quiet, signed_in):
    _, token = signed_in
    etag = client.get("/api/v1/users/me", headers=bearer(token)).headers["ETag"]
    with quiet:
        body = assert_error(client.post("/api/v1/auth/register", json={
            "email": "nul@example.com", "password": PASSWORD, "full_name": "a\x00b"}), 422)
        assert body["errors"] == {"json": {"full_name": [MESSAGE]}}
        assert_error(client.patch("/api/v1/users/me", json={"full_name": "x\x00"},
                                  headers={**bearer(token), "If-Match": etag}), 422)
        assert_error(client.post("/api/v1/auth/login",
                                 json={"email": "a\x00@example.com", "password": PASSWORD}), 422)


def test_nul_in_user_agent_does_not_break_login(client):
    u = user()
    resp = client.post("/api/v1/auth/login", json={"email": u.email, "password": PASSWORD},
                       headers={"User-Agent": "evil\x00agent"})
    assert resp.status_code == 200


def test_unexpected_exception_is_500_json_and_logged(app, client, monkeypatch, caplog):
    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "auth.whoami", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    resp = client.get("/api/v1/auth/whoami")
    body = assert_error(resp, 500, errors=False)
    assert "secret internals" not in resp.get_data(as_text=True)
    assert body["status"] == "Internal Server Error"
    assert any(r.levelno >= logging.ERROR for r in caplog.records)  # operators see it
