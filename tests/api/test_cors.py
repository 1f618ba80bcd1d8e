"""CORS (api/cors.py): browser apps on the configured origins can call /api/*, read the
headers the API sends, and have their preflights cached; any other origin, and every
origin by default, gets a plain answer without CORS headers. Never credentials."""
from __future__ import annotations

import pytest

from config import ConfigError, cors_origins
from tests.conftest import _make_app

APP_ORIGIN = "https://shop.example.com"
OTHER_ORIGIN = "https://evil.example.net"


@pytest.fixture(scope="module")
def sqlite_url(app_for):
    return app_for("sqlite").config["SQLALCHEMY_DATABASE_URI"]


def _client(sqlite_url, tmp_path_factory, **overrides):
    # Another app on the same migrated database, configured as a deployment would be.
    app = _make_app(sqlite_url, str(tmp_path_factory.mktemp("cors")), **overrides)
    return app.test_client()


@pytest.fixture(scope="module")
def cors_client(sqlite_url, tmp_path_factory):
    return _client(sqlite_url, tmp_path_factory,
                   CORS_ORIGINS=f"{APP_ORIGIN}, http://localhost:3000")


@pytest.fixture(scope="module")
def default_client(sqlite_url, tmp_path_factory):
    return _client(sqlite_url, tmp_path_factory)


def _preflight(client, origin, path="/api/v1/orders", method="POST",
               headers="authorization, content-type, idempotency-key"):
    return client.options(path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers})


def _exposed(resp) -> set[str]:
    value = resp.headers.get("Access-Control-Expose-Headers", "")
    return {h.strip().lower() for h in value.split(",") if h.strip()}


@pytest.fixture
def product_url(cors_client):
    from app.extensions import db
    from tests import factories

    with cors_client.application.app_context():
        product = factories.product(name="CORS mug")
        db.session.commit()
        return f"/api/v1/products/{product.id}"


def test_allowed_origin_reads_a_simple_response_and_its_headers(cors_client, product_url):
    resp = cors_client.get(product_url, headers={"Origin": APP_ORIGIN})
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "Origin" in resp.headers.get("Vary", "")  # caches keep answers per origin
    assert "Access-Control-Allow-Credentials" not in resp.headers
    assert resp.headers.get("ETag")
    assert {"etag", "idempotent-replayed", "retry-after", "x-request-id"} <= _exposed(resp)
    assert resp.headers.get("X-Request-ID")


def test_allowed_origin_reads_errors_too(cors_client):
    """A 401 without CORS headers would reach the app as an opaque network error."""
    resp = cors_client.get("/api/v1/auth/whoami", headers={"Origin": "http://localhost:3000"})
    assert resp.status_code == 401
    assert resp.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert resp.get_json()["code"] == 401


def test_allowed_origin_preflight_is_answered_and_cached(cors_client):
    resp = _preflight(cors_client, APP_ORIGIN)
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    allowed = {h.strip().lower() for h in resp.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert int(resp.headers["Access-Control-Max-Age"]) == 7200
    assert "Access-Control-Allow-Credentials" not in resp.headers


def test_preflight_for_a_conditional_update(cors_client):
    resp = _preflight(cors_client, APP_ORIGIN, path="/api/v1/users/me", method="PATCH",
                      headers="authorization, content-type, if-match")
    assert resp.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "PATCH" in resp.headers["Access-Control-Allow-Methods"]
    assert "if-match" in resp.headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("origin", [OTHER_ORIGIN, "https://shop.example.com.evil.net",
                                    "http://shop.example.com", "null"])
def test_unlisted_origin_gets_a_plain_answer(cors_client, origin):
    resp = cors_client.get("/api/v1/products", headers={"Origin": origin})
    assert resp.status_code == 200
    assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]
    preflight = _preflight(cors_client, origin)
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Methods" not in preflight.headers


def test_only_the_api_is_shared(cors_client):
    for path in ("/healthz", "/admin/login"):
        resp = cors_client.get(path, headers={"Origin": APP_ORIGIN})
        assert "Access-Control-Allow-Origin" not in resp.headers, path


def test_default_config_sends_no_cors_headers(default_client):
    assert default_client.application.config["CORS_ORIGINS"] == ()
    for resp in (default_client.get("/api/v1/products", headers={"Origin": APP_ORIGIN}),
                 _preflight(default_client, APP_ORIGIN)):
        assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]


def test_wildcard_is_sent_as_such_and_never_with_credentials(sqlite_url, tmp_path_factory):
    client = _client(sqlite_url, tmp_path_factory, CORS_ORIGINS="*")
    resp = client.get("/api/v1/products", headers={"Origin": OTHER_ORIGIN})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in resp.headers
    preflight = _preflight(client, OTHER_ORIGIN)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_origins_are_parsed_and_checked_at_start():
    assert cors_origins(None) == ()
    assert cors_origins(" https://A.example.com ,http://localhost:3000,") == (
        "https://a.example.com", "http://localhost:3000")
    for bad in ("https://a.example.com/", "a.example.com", "https://a.example.com/app",
                "*, https://a.example.com", "https://*.example.com"):
        with pytest.raises(ConfigError):
            cors_origins(bad)
