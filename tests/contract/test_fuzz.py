"""Property-based fuzzing of every API operation in the committed openapi.json
(schemathesis 4): no 5xx, every response conforms to the schema documented for its
status code, and every status code is documented.

Runs on the SQLite app only (the contract does not depend on the backend; the
backend-specific behaviour is covered by the other suites). Every example starts with a
working access token: the previous one if it still authenticates, else a fresh user
and login, so an example that logs out, deactivates the account or changes the
password cannot spoil the next one. For the fuzz run only the rate
limiter is disabled (a fuzzer trips the login limits in seconds) and card payments
point at localstripe; both are restored afterwards.

``FUZZ_EXAMPLES`` (default 50 per operation) and ``FUZZ_SEED`` (default fixed, so a
failure reproduces) tune the run.
"""
from __future__ import annotations

import contextvars
import json
import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
SEED = int(os.environ.get("FUZZ_SEED", "20261125"))
from app.apikeys.service import SCOPES as ALL_SCOPES  # noqa: E402
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

schema = schemathesis.openapi.from_dict(
    json.loads((ROOT / "openapi.json").read_text()),
    config=schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES,
                       "with-security-parameters": False, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }),
)


class Fuzz:
    """The app under test and live credentials on demand."""

    def __init__(self, app):
        from tests.conftest import make_client

        self.app = app
        self.client = make_client(app)
        self.token = None
        self.partner_key = None

    def user_token(self) -> str:
        """A working access token: the last one while it still works, else a fresh user
        and login (an example may have logged out, changed the password or deactivated
        the account). Reusing a live one keeps the run fast (argon2 per login)."""
        from app.core.errors import AuthenticationFailed
        from app.core.uow import unit_of_work
        from app.extensions import db
        from app.users import service as users
        from tests import factories

        if self.token is not None:
            db.session.expire_all()  # see what the last request committed
            try:
                with unit_of_work():  # a runner: nothing of it may stay open (SQLite locks)
                    users.authenticate(self.token)
                return self.token
            except AuthenticationFailed:
                pass
        u = factories.user(verified=False)
        with unit_of_work():
            self.token = users.login(u.email, factories.PASSWORD).access_token
        return self.token

    def key(self) -> str:
        if self.partner_key is None:
            from tests import factories

            self.partner_key = factories.api_key(ALL_SCOPES, name="Fuzz partner")[1]
        return self.partner_key

    def credentials_for(self, operation) -> list[dict]:
        """One Authorization header per credential kind the operation accepts
        (an empty one for public operations and those where credentials are optional)."""
        security = operation.definition.raw.get("security", [])
        schemes = {name for req in security for name in req}
        headers = [{}] if {} in security else []  # optional credentials: try anonymous too
        if "bearerAuth" in schemes:
            headers.append({"Authorization": f"Bearer {self.user_token()}"})
        if "apiKeyAuth" in schemes:
            headers.append({"Authorization": f"Bearer {self.key()}"})
        return headers or [{}]

    def current_etag(self, authorization: dict) -> str | None:
        resp = self.client.get("/api/v1/users/me", headers=authorization)
        return resp.headers.get("ETag")


@pytest.fixture(scope="module")
def fuzz(app_for, _localstripe):
    from app.extensions import db, limiter
    from tests.stripe_server import API_KEY

    app = app_for("sqlite")
    saved = limiter.enabled
    limiter.enabled = False
    # Card payments configured (against localstripe): an operation with nothing to
    # validate before its gateway (a SetupIntent) would otherwise answer only its 503.
    stripe_config = {name: app.config.get(name) for name in ("STRIPE_API_KEY", "STRIPE_API_BASE")}
    app.config.update(STRIPE_API_KEY=API_KEY, STRIPE_API_BASE=_localstripe.url)
    ctx = app.app_context()
    ctx.push()
    try:
        yield Fuzz(app)
    finally:
        db.session.remove()
        ctx.pop()
        limiter.enabled = saved
        app.config.update(stripe_config)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
def test_api_conforms_to_its_contract(case, fuzz):
    for authorization in fuzz.credentials_for(case.operation):
        if case.headers and "If-Match" in case.headers and len(case.headers["If-Match"]) % 2:
            # Half the time send the real ETag, so the update itself is exercised too.
            case.headers["If-Match"] = fuzz.current_etag(authorization) or "*"
        # Each request in an empty context (its own app context and DB session), as in
        # production, not inside this test's.
        response = contextvars.Context().run(case.call, app=fuzz.app, headers=authorization)
        case.validate_response(response, checks=CHECKS)
