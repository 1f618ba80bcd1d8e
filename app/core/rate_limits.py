"""The default limit per client at the edge (``RATELIMIT_DEFAULT``, like the platform's
gateway: 100 requests a second on average, with a burst).

One budget per client across every route, login and sign-up included (their own limits
come on top): the client is the partner's API key (by key id, once the key is verified),
else the end user (by the user id of a valid access token), else the address seen through
``TRUSTED_PROXIES``. An invented key or token is not a client of its own: it falls back to
the address, so minting credentials buys no fresh budget. Counters live where
Flask-Limiter keeps them (Redis, shared by every worker; in memory while Redis is down).

Operators' probes (health, readiness, metrics) and static assets are not counted.

Headers (draft-ietf-httpapi-ratelimit-headers): ``RateLimit-Limit``, ``RateLimit-Remaining``,
``RateLimit-Reset`` (seconds until the window resets) and ``RateLimit-Policy`` on every
limited answer, and ``Retry-After`` (seconds) on a 429. Flask-Limiter's own headers are off:
it names them ``X-RateLimit-*``, gives the reset as a timestamp and puts ``Retry-After`` on
every answer, even a 200.
"""
from __future__ import annotations

import logging
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address

log = logging.getLogger(__name__)

# Not a client's traffic: load balancers and Prometheus poll these, and a page's assets
# would spend a browser's budget on files it caches anyway.
EXEMPT_ENDPOINTS = frozenset({"ops.healthz", "ops.readyz", "ops.metrics", "swagger_assets"})


def request_identifier() -> str:
    """What Flask-Limiter calls the request (its default, the endpoint, leaves requests no
    route matched unlimited): a scanner's 404s spend its budget too."""
    return request.endpoint or "(unmatched)"


def per_client_limit() -> str:
    return current_app.config["RATELIMIT_PER_CLIENT"]


def exempt() -> bool:
    endpoint = request.endpoint or ""
    return endpoint in EXEMPT_ENDPOINTS or endpoint == "static" or endpoint.endswith(".static")


def _bearer() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def client_key() -> str:
    """Who spends the budget. Only a verified credential names a client: the key's own
    lookup (cached for the request, so authentication does not read it twice) or the
    access token's signature (no database)."""
    # Imported here: app.extensions imports this module, and the services import it.
    from app.apikeys import service as apikeys
    from app.core.errors import DomainError
    from app.users import tokens

    token = _bearer() if request.path.startswith("/api/") else None
    if token:
        try:
            if apikeys.looks_like_key(token):
                return f"apikey:{apikeys.authenticate(token).id}"
            user_id, _ = tokens.decode_access_token(token)
            return f"user:{user_id}"
        except DomainError:
            pass  # an invalid credential: counted against the address, then refused
    return f"ip:{get_remote_address()}"


def add_headers(response):
    """RateLimit-* on every answer a limit applied to; Retry-After on a 429."""
    from app.extensions import limiter

    try:
        current = limiter.current_limit
        if current is None:
            return response
        amount = current.limit.amount
        window = current.limit.get_expiry()
        # reset_at is rounded up to the next second: never more than the window from now.
        reset = min(window, max(0, current.reset_at - int(time.time())))
        remaining = max(0, current.remaining)
    except Exception:  # the counter store failed between check and answer: no headers
        log.warning("rate limit headers skipped: counter store unreachable", exc_info=True)
        return response
    response.headers["RateLimit-Limit"] = str(amount)
    response.headers["RateLimit-Remaining"] = str(remaining)
    response.headers["RateLimit-Reset"] = str(reset)
    response.headers["RateLimit-Policy"] = f"{amount};w={window}"
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, reset))
    return response


def init_app(app) -> None:
    """Before ``limiter.init_app``: after-request hooks run last-registered first, so this
    one runs after Flask-Limiter has made its conditional deductions."""
    app.after_request(add_headers)
