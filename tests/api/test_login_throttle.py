"""Sign-in throttling (#13 findings 1-3): keyed on the normalised account and on the client
IP through the trusted proxies; a known device is not locked out by someone else's
guesses; Redis down never turns a login into a 500."""
from __future__ import annotations

import logging

import pytest

from tests import factories as f
from tests.conftest import free_port, make_client, own_app
from tests.factories import PASSWORD

LOGIN = "/api/v1/auth/login"
WRONG = "bad-bad-bad-bad"


def _attempt(client, email, password=WRONG, **kwargs):
    return client.post(LOGIN, json={"email": email, "password": password}, **kwargs)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_account_limit_is_keyed_on_the_normalised_email(client, app):
    f.user(email_addr="chen@example.com")
    for _ in range(5):
        assert _attempt(client, "chen@example.com").status_code == 401
    # A full-width "e" normalises (UTS-46) to the same account: the same bucket.
    assert _attempt(client, "chen@\uff45xample.com").status_code == 429
    assert _attempt(client, "CHEN@Example.COM ", PASSWORD).status_code == 429


def test_a_known_device_signs_in_while_the_account_is_under_attack(app):
    user = f.user()
    own_phone, attacker = make_client(app), make_client(app)
    assert _attempt(own_phone, user.email, PASSWORD).status_code == 200
    for _ in range(5):
        assert _attempt(attacker, user.email).status_code == 401
    assert _attempt(attacker, user.email, PASSWORD).status_code == 429
    # The user's own device has its own bucket: the attacker's guesses do not lock it out.
    assert _attempt(own_phone, user.email, PASSWORD).status_code == 200
    # Its failures are still limited, by the same rule.
    for _ in range(5):
        assert _attempt(own_phone, user.email).status_code == 401
    assert _attempt(own_phone, user.email, PASSWORD).status_code == 429


def test_a_device_cookie_is_bound_to_its_account(app):
    user, other = f.user(), f.user()
    device = make_client(app)
    assert _attempt(device, user.email, PASSWORD).status_code == 200
    cookie = device.get_cookie("ngm_device_user", path=LOGIN)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    for _ in range(5):
        assert _attempt(make_client(app), other.email).status_code == 401
    # user's cookie does not open other's bucket.
    assert _attempt(device, other.email, PASSWORD).status_code == 429


def test_client_ip_is_taken_through_the_trusted_proxies(tmp_path):
    with own_app(tmp_path, TRUSTED_PROXIES="1", LOGIN_RATE_LIMIT_IP="3 per 15 minutes") as app:
        client = make_client(app)

        def from_ip(chain, email):
            return _attempt(client, email, headers={"X-Forwarded-For": chain})

        for i in range(3):
            # The client forges the left of the chain; the proxy appended the real address.
            assert from_ip(f"10.0.0.{i}, 203.0.113.9", f"nobody{i}@example.com").status_code == 401
        assert from_ip("203.0.113.9", "someone@example.com").status_code == 429
        # Another client behind the same load balancer has its own bucket.
        assert from_ip("198.51.100.7", "someone@example.com").status_code == 401
        huge = ", ".join(f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in range(5000))
        assert from_ip(huge + ", 198.51.100.8", "someone@example.com").status_code == 401


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_IP", "3 per 15 minutes")
    for i in range(3):
        _attempt(client, f"nobody{i}@example.com", headers={"X-Forwarded-For": f"10.0.0.{i}"})
    assert _attempt(client, "x@example.com",
                    headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 429


def test_logins_answer_with_redis_unreachable(tmp_path):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with own_app(tmp_path, REDIS_URL=dead_redis, JOBS_INLINE="0") as app:
        user = f.user()
        staff = f.staff("support")
        from app.core import uow

        uow.commit()
        client = make_client(app)
        warnings = _Collect()
        logging.getLogger("flask-limiter").addHandler(warnings)
        try:
            assert _attempt(client, user.email, PASSWORD).status_code == 200
            for _ in range(5):
                assert _attempt(client, "stranger@example.com").status_code == 401
            assert _attempt(client, "stranger@example.com").status_code == 429
            assert client.post("/api/v1/auth/password-reset",
                               json={"email": user.email}).status_code == 202
        finally:
            logging.getLogger("flask-limiter").removeHandler(warnings)
        assert any("falling back to in-memory" in r.getMessage() for r in warnings.records)
        assert not [r for r in warnings.records if r.levelno >= logging.ERROR]

        from tests.admin.conftest import BackOffice

        office = BackOffice(make_client(app))
        assert office.login(staff.email).status_code == 302
        assert BackOffice(make_client(app)).login(staff.email, WRONG).status_code == 401


@pytest.mark.parametrize("chain", ["", "not-an-ip", "1.2.3.4,,, ,"])
def test_odd_forwarded_headers_are_harmless(tmp_path, chain):
    with own_app(tmp_path, TRUSTED_PROXIES="2") as app:
        resp = _attempt(make_client(app), "x@example.com", headers={"X-Forwarded-For": chain})
        assert resp.status_code == 401
