"""Fixtures: the app on each database backend, a clean database per test, clients,
factories, a query counter, and real servers (SMTP, Redis) where tests ask for them."""
from __future__ import annotations

import contextlib
import contextvars
import os
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, event, text

from tests import services

_PG_REASON = services.postgres_available()
_REDIS_REASON = services.redis_available()
_BACKENDS_USED: set[str] = set()


def pytest_report_header(config):
    return [
        "backends: sqlite (embedded default) always; postgresql "
        + ("available" if _PG_REASON is None else f"MISSING ({_PG_REASON})")
        + "; redis " + ("available" if _REDIS_REASON is None else f"MISSING ({_REDIS_REASON})"),
        f"REQUIRE_SERVICES={'1' if services.REQUIRE_SERVICES else '0'}",
    ]


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: its controller prints the summary
        workeroutput["backends_used"] = sorted(_BACKENDS_USED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _BACKENDS_USED.update(getattr(node, "workeroutput", {}).get("backends_used", ()))


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"database backends used: {', '.join(sorted(_BACKENDS_USED)) or 'none'}")


def _fresh_postgres() -> str:
    engine = create_engine(services.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{services.PG_TEST_DB}' AND pid <> pg_backend_pid()"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{services.PG_TEST_DB}"'))
        conn.execute(text(f'CREATE DATABASE "{services.PG_TEST_DB}"'))
    engine.dispose()
    return services.pg_url()


def _make_app(database_url: str, instance: str, **overrides):
    from app import create_app

    env = {
        "APP_ENV": "testing",
        "INSTANCE_PATH": instance,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "MAIL_BACKEND": "log",
        "LOG_LEVEL": "WARNING",
        "PASSWORD_HASH_PROFILE": "owasp-minimum",
        # Never the real VIES from a test: a closed local port unless a test sets the fake.
        "VIES_URL": "http://127.0.0.1:9",
        "VIES_TIMEOUT_SECONDS": "1",
        # Webhooks verify against the tests' secret; card payments stay unconfigured (503)
        # unless a test asks for localstripe (the `stripe_server` fixture).
        "STRIPE_WEBHOOK_SECRET": "whsec_test_nextgen_webhooks",
        # The per-client edge limit still runs in every test, high enough that a test's
        # bursts never meet it; tests/api/test_edge_rate_limit.py sets it low.
        "RATELIMIT_DEFAULT": "100000 per second",
    }
    env.update({k: v for k, v in overrides.items() if v is not None})
    app = create_app(env=env)
    # A new app's storage is new: not dead because an earlier app's Redis was.
    app.extensions[_LIMITER_STATE] = {**_limiter_state(), "_storage_dead": False}
    _use_limiter_of(app)
    return app


# Flask-Limiter keeps what init_app read (storage, strategy, enabled, Redis-down state) on
# its one instance, so the last app built would count every app's requests: a deployment
# builds one app per process, the tests build many. Each app keeps its own copy, put back
# whenever a test takes that app (a Redis-down test would otherwise leave the next tests
# counting in memory until Flask-Limiter's recovery check, then in Redis from zero).
_LIMITER_STATE = "tests.limiter_state"


def _limiter_state() -> dict:
    from app.extensions import limiter

    return dict(vars(limiter))


def _use_limiter_of(app) -> None:
    from app.extensions import limiter

    vars(limiter).update(app.extensions[_LIMITER_STATE])


def _migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@contextlib.contextmanager
def own_app(tmp_path, **env):
    """An app of its own (a fresh SQLite file) built from ``env`` as a deployment would set
    it, for tests of settings read once at start (APP_ENV, TRUSTED_PROXIES, REDIS_URL)."""
    before = _limiter_state()
    app = _make_app(f"sqlite:///{tmp_path / 'own.sqlite3'}", str(tmp_path / "instance"), **env)
    _migrate(app)
    try:
        with app.app_context():
            yield app
            from app.extensions import db

            db.session.remove()
    finally:
        from app.extensions import limiter

        vars(limiter).update(before)  # the app the test had before counts again


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    if request.param == "postgresql":
        services.need(_PG_REASON)
    return request.param


@pytest.fixture(scope="session")
def _database_urls(tmp_path_factory):
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    migrated = set()
    return urls, migrated


@pytest.fixture(scope="session")
def app_for(tmp_path_factory, _database_urls):
    """Builds (once per backend and flavour) a migrated app."""
    urls, migrated = _database_urls
    apps = {}

    def build(backend_name: str, redis: bool = False):
        key = (backend_name, redis)
        if key in apps:
            return apps[key]
        if backend_name == "postgresql" and "postgresql" not in urls:
            urls["postgresql"] = _fresh_postgres()
        overrides = {}
        if redis:
            overrides = {"REDIS_URL": services.REDIS_URL, "JOBS_INLINE": "0"}
        app = _make_app(urls[backend_name], str(tmp_path_factory.mktemp("instance")), **overrides)
        if backend_name not in migrated:
            _migrate(app)
            migrated.add(backend_name)
        apps[key] = app
        _BACKENDS_USED.add(backend_name)
        return app

    return build


def _clean(app) -> None:
    from app.extensions import cache, db, limiter

    _use_limiter_of(app)
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))
        cache.clear()
        limiter.reset()
    # The embedded velocity counters live in the app: a test's orders and failed payments
    # (localstripe's card fingerprints are the same in every test) must not count in the next.
    app.extensions.pop("nextgen_fraud_velocity", None)


@pytest.fixture
def app(backend, app_for):
    app = app_for(backend)
    _clean(app)
    with app.app_context():
        yield app
        from app.extensions import db

        db.session.remove()


@pytest.fixture
def pg_app(app_for):
    """PostgreSQL only (concurrency, drift checks)."""
    services.need(_PG_REASON)
    app = app_for("postgresql")
    _clean(app)
    with app.app_context():
        yield app


@pytest.fixture
def redis_app(app_for):
    """PostgreSQL + Redis: events go to RQ queues instead of running inline."""
    services.need(_PG_REASON)
    services.need(_REDIS_REASON)
    import redis as redis_lib

    conn = redis_lib.Redis.from_url(services.REDIS_URL)
    conn.flushdb()
    app = app_for("postgresql", redis=True)
    _clean(app)
    with app.app_context():
        yield app
    conn.flushdb()


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, as production does: its own app context,
    its own ``g`` and its own database session, instead of reusing the test's."""

    def open(self, *args, **kwargs):
        from app.core import uow
        from app.extensions import db

        # The test ran its services as a runner would; what it did before a request is
        # committed, as a runner commits before it answers (services never commit).
        uow.commit()
        # Buffered: a streamed body is read while the request's context still exists.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)

        db.session.expire_all()  # the test reads what the request wrote, not stale rows
        return response


def make_client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def client(app):
    return make_client(app)


@pytest.fixture
def redis_client(redis_app):
    return make_client(redis_app)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factories():
    from tests import factories as f

    return f


@pytest.fixture
def query_counter(app):
    """``with query_counter() as counted: ...`` then ``counted.count``."""
    @contextlib.contextmanager
    def counter():
        class Counted:
            count = 0
            statements: list[str] = []

        counted = Counted()
        counted.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counted.count += 1
            counted.statements.append(statement)

        # Every engine (the session's and the autocommit read engine), not just one.
        event.listen(Engine, "before_cursor_execute", before)
        try:
            yield counted
        finally:
            event.remove(Engine, "before_cursor_execute", before)

    return counter


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Mailbox:
    def __init__(self):
        self.messages = []
        self._cond = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self._cond:
            self.messages.append(msg)
            self._cond.notify_all()
        return "250 OK"

    def wait_for(self, count: int = 1, timeout: float = 10.0):
        with self._cond:
            self._cond.wait_for(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)


@pytest.fixture(scope="session")
def _smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = _Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(_smtp_server):
    """(mailbox, port) of a real SMTP server (aiosmtpd) on localhost, emptied."""
    _smtp_server[0].messages.clear()
    return _smtp_server


@pytest.fixture
def smtp(smtp_server, app, monkeypatch):
    """The real SMTP server, with the app configured to send to it."""
    mailbox, port = smtp_server
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    return mailbox


@pytest.fixture
def tax_rates(request):
    """The standard rates of tests/invoice_support (GB, DE, FR): orders are taxed at
    checkout and refused where no rate is configured."""
    request.getfixturevalue("pg_app" if "pg_app" in request.fixturenames else "app")
    from tests.invoice_support import rates

    rates()


@pytest.fixture(scope="session")
def _fake_vies():
    from tests.vies_server import FakeVies

    server = FakeVies().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def vies(_fake_vies, app, monkeypatch):
    """The local fake VIES (tests/vies_server.py), with the app configured to ask it."""
    _fake_vies.requests.clear()
    monkeypatch.setitem(app.config, "VIES_URL", _fake_vies.url)
    monkeypatch.setitem(app.config, "VIES_TIMEOUT_SECONDS", 0.5)
    return _fake_vies


@pytest.fixture(scope="session")
def _localstripe():
    from tests.stripe_server import LocalStripe

    server = LocalStripe().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def localstripe(_localstripe):
    """localstripe (tests/stripe_server.py), emptied: for tests that configure the app
    themselves (a gunicorn server)."""
    _localstripe.flush()
    return _localstripe


@pytest.fixture
def stripe_server(localstripe, request, monkeypatch):
    """localstripe, emptied, with the app's Stripe SDK pointed at it (STRIPE_API_BASE)."""
    from tests.stripe_server import API_KEY

    name = next((n for n in ("redis_app", "pg_app") if n in request.fixturenames), "app")
    app = request.getfixturevalue(name)
    monkeypatch.setitem(app.config, "STRIPE_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe.url)
    return localstripe


@pytest.fixture(scope="session")
def _fake_paypal():
    from tests.paypal_server import FakePayPal

    server = FakePayPal().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def paypal(_fake_paypal, request, monkeypatch):
    """The fake PayPal (tests/paypal_server.py), emptied, with the app's PayPal SDK
    pointed at it (PAYPAL_API_BASE) and quick retries."""
    from tests.paypal_server import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID

    _fake_paypal.reset()
    name = next((n for n in ("redis_app", "pg_app") if n in request.fixturenames), "app")
    app = request.getfixturevalue(name)
    for key, value in (("PAYPAL_CLIENT_ID", CLIENT_ID), ("PAYPAL_CLIENT_SECRET", CLIENT_SECRET),
                       ("PAYPAL_WEBHOOK_ID", WEBHOOK_ID), ("PAYPAL_API_BASE", _fake_paypal.url),
                       ("PAYPAL_RETRY_BACKOFF", 0.01)):
        monkeypatch.setitem(app.config, key, value)
    # The SDK keeps its OAuth token per client: a fresh fake issues new ones.
    monkeypatch.setitem(app.extensions, "nextgen_paypal_clients", {})
    return _fake_paypal


@pytest.fixture(scope="session")
def _fake_twilio():
    from tests.twilio_server import FakeTwilio

    server = FakeTwilio().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _azurite():
    from tests import azurite_server

    azurite_server.need()
    server = azurite_server.Azurite().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def twilio(_fake_twilio, request, monkeypatch):
    """The fake Twilio (tests/twilio_server.py), emptied, with the app's twilio SDK
    pointed at it (TWILIO_API_BASE)."""
    from tests.twilio_server import ACCOUNT_SID, AUTH_TOKEN, FROM

    _fake_twilio.reset()
    name = next((n for n in ("redis_app", "pg_app") if n in request.fixturenames), "app")
    app = request.getfixturevalue(name)
    for key, value in (("SMS_BACKEND", "twilio"), ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
                       ("TWILIO_AUTH_TOKEN", AUTH_TOKEN), ("TWILIO_FROM", FROM),
                       ("TWILIO_API_BASE", _fake_twilio.url)):
        monkeypatch.setitem(app.config, key, value)
    return _fake_twilio


class _FlakyMailbox:
    """An SMTP server that answers DATA with the next of ``replies`` (e.g. 451 twice),
    then accepts: a relay that is temporarily busy, or one that refuses for good."""

    def __init__(self):
        self.replies: list[str] = []
        self.attempts = 0
        self.inner = _Mailbox()

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.replies:
            return self.replies.pop(0)
        return await self.inner.handle_DATA(server, session, envelope)


@pytest.fixture(scope="session")
def _flaky_smtp_server():
    from aiosmtpd.controller import Controller

    handler = _FlakyMailbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def flaky_smtp(_flaky_smtp_server, app, monkeypatch):
    """An aiosmtpd server whose answers a test scripts (``.replies``), with the app
    configured to send to it and retry at once (backoff 0)."""
    handler, port = _flaky_smtp_server
    handler.replies.clear()
    handler.attempts = 0
    handler.inner.messages.clear()
    for key, value in (("MAIL_BACKEND", "smtp"), ("SMTP_HOST", "127.0.0.1"),
                       ("SMTP_PORT", port), ("NOTIFY_BACKOFF_SECONDS", 0)):
        monkeypatch.setitem(app.config, key, value)
    return handler


@pytest.fixture
def azurite(_azurite, request, monkeypatch):
    """Azurite's Blob Storage, with the app's audit archive stored there (a fresh
    container per test)."""
    import uuid as uuid_mod

    name = next((n for n in ("redis_app", "pg_app") if n in request.fixturenames), "app")
    app = request.getfixturevalue(name)
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_STORAGE", "azure")
    monkeypatch.setitem(app.config, "AZURE_STORAGE_CONNECTION_STRING", _azurite.connection_string)
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_CONTAINER", f"audit-{uuid_mod.uuid4().hex[:12]}")
    return _azurite
