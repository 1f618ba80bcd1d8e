"""The default limit per client at the edge (#13 finding 12): one budget per API key, user,
else address (through the trusted proxies), shared by every worker through Redis, in
memory while Redis is down (never a 500); 429 in the one JSON error shape with Retry-After
and RateLimit-* headers; health, readiness, metrics and static assets exempt."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import requests

import config
from app.core import uow
from tests import factories as f
from tests.conftest import free_port, make_client, own_app
from tests.live import web_server

ORDERS = "/api/v1/orders"
PRODUCTS = "/api/v1/products"
SHAPE = {"code", "status", "message", "request_id"}


def _assert_throttled(resp, limit: int):
    assert resp.status_code == 429, resp.get_data(as_text=True)[:300]
    body = resp.get_json()
    assert set(body) == SHAPE and body["code"] == 429
    assert body["request_id"] == resp.headers["X-Request-ID"]
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert resp.headers["RateLimit-Limit"] == str(limit)
    assert resp.headers["RateLimit-Remaining"] == "0"
    assert 0 <= int(resp.headers["RateLimit-Reset"]) <= 60
    assert resp.headers["RateLimit-Policy"] == f"{limit};w=60"


def test_the_default_applies_per_address_with_headers(tmp_path):
    with own_app(tmp_path, RATELIMIT_DEFAULT="3 per minute") as app:
        client = make_client(app)
        remaining = []
        for _ in range(3):
            resp = client.get(PRODUCTS)
            assert resp.status_code == 200
            assert resp.headers["RateLimit-Limit"] == "3"
            assert "Retry-After" not in resp.headers  # only a 429 asks to wait
            remaining.append(resp.headers["RateLimit-Remaining"])
        assert remaining == ["2", "1", "0"]
        _assert_throttled(client.get(PRODUCTS), 3)
        # One budget over every route, errors included: a scanner's 404s count too.
        _assert_throttled(client.get("/api/v1/nothing-here"), 3)
        _assert_throttled(client.post("/api/v1/auth/login",
                                      json={"email": "a@example.com", "password": "x" * 12}), 3)
        # Operators' probes and static assets are never throttled, nor carry the headers.
        for path in ("/healthz", "/readyz", "/metrics", "/admin/assets/csp.js",
                     "/api/v1/docs/assets/swagger-ui.css"):
            resp = client.get(path)
            assert resp.status_code == 200, path
            assert "RateLimit-Limit" not in resp.headers, path


def test_each_api_key_and_user_has_its_own_budget(tmp_path):
    with own_app(tmp_path, RATELIMIT_DEFAULT="2 per minute") as app:
        _, first = f.api_key(("orders:read",), name="first")
        _, second = f.api_key(("orders:read",), name="second")
        user = f.user()
        uow.commit()
        client = make_client(app)
        # The user's login spends the address's budget (no credential yet); the token then
        # names its own client.
        token = f.login(client, user.email)["access_token"]
        for key in (first, second):
            for _ in range(2):
                assert client.get(ORDERS, headers=f.bearer(key)).status_code == 200
            _assert_throttled(client.get(ORDERS, headers=f.bearer(key)), 2)
        for _ in range(2):
            assert client.get(ORDERS, headers=f.bearer(token)).status_code == 200
        _assert_throttled(client.get(ORDERS, headers=f.bearer(token)), 2)
        # Invented keys are no clients of their own: they share the address's budget (one
        # left after the login), then are refused as usual.
        fake = [f"ngm_{i:012x}_invented" for i in range(3)]
        assert client.get(ORDERS, headers=f.bearer(fake[0])).status_code == 401
        _assert_throttled(client.get(ORDERS, headers=f.bearer(fake[1])), 2)
        _assert_throttled(client.get(ORDERS, headers=f.bearer(fake[2])), 2)


def test_the_address_is_the_one_seen_through_the_trusted_proxies(tmp_path):
    with own_app(tmp_path, RATELIMIT_DEFAULT="1 per minute", TRUSTED_PROXIES="1") as app:
        client = make_client(app)

        def get(chain):
            return client.get(PRODUCTS, headers={"X-Forwarded-For": chain})

        assert get("10.0.0.1, 203.0.113.5").status_code == 200
        # A forged left part of the chain does not make a new client.
        _assert_throttled(get("10.0.0.2, 203.0.113.5"), 1)
        huge = ", ".join(f"10.0.{i // 256 % 256}.{i % 256}" for i in range(5000))
        _assert_throttled(get(huge + ", 203.0.113.5"), 1)
        assert get("198.51.100.7").status_code == 200


def test_redis_down_counts_in_memory_never_a_500(tmp_path):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with own_app(tmp_path, REDIS_URL=dead_redis, JOBS_INLINE="0",
                 RATELIMIT_DEFAULT="3 per minute") as app:
        client = make_client(app)
        errors = []

        class _Errors(logging.Handler):
            def emit(self, record):
                if record.levelno >= logging.ERROR:
                    errors.append(record)

        handler = _Errors()
        logging.getLogger().addHandler(handler)
        try:
            statuses = [client.get(PRODUCTS).status_code for _ in range(4)]
        finally:
            logging.getLogger().removeHandler(handler)
        assert statuses == [200, 200, 200, 429]
        assert not errors


def test_workers_share_the_budget_through_redis(redis_app):
    """Two servers (one gunicorn worker each) on the same Redis: one budget per key."""
    _, key = f.api_key(("orders:read",))
    uow.commit()
    env = {"RATELIMIT_DEFAULT": "4 per minute"}
    with web_server(redis_app, workers=1, extra_env=env) as one, \
            web_server(redis_app, workers=1, extra_env=env) as two:
        statuses = [requests.get(base + ORDERS, headers=f.bearer(key), timeout=10).status_code
                    for base in (one, two, one, two, one, two)]
        assert statuses == [200, 200, 200, 200, 429, 429]
        # The address is another client: unaffected by the key's spent budget.
        assert requests.get(one + PRODUCTS, timeout=10).status_code == 200


def test_the_default_is_100_a_second_with_a_burst_and_refuses_nonsense():
    cfg = config.load({"APP_ENV": "testing", "SECRET_KEY": "k" * 40})
    assert cfg["RATELIMIT_PER_CLIENT"] == "200 per 2 seconds"
    with pytest.raises(config.ConfigError, match="RATELIMIT_DEFAULT"):
        config.load({"APP_ENV": "testing", "SECRET_KEY": "k" * 40,
                     "RATELIMIT_DEFAULT": "a lot"})


def test_every_operation_documents_its_429_with_the_headers():
    spec = json.loads((Path(__file__).resolve().parents[2] / "openapi.json").read_text())
    shared = spec["components"]["responses"]["TOO_MANY_REQUESTS"]
    assert set(shared["headers"]) == {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
                                      "RateLimit-Reset", "RateLimit-Policy"}
    assert shared["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiError"}
    missing = [f"{method.upper()} {path}" for path, ops in spec["paths"].items()
               for method, op in ops.items() if method != "parameters"
               and op["responses"].get("429") != {
                   "$ref": "#/components/responses/TOO_MANY_REQUESTS"}]
    assert not missing
