"""The REST API (/api/v1): flask-smorest blueprints that call app/ services."""
from flask import Flask
from sqlalchemy.exc import IntegrityError

from api import account_pages, cors, docs, http_cache, openapi30
from api.errors import domain_error_response, wants_json
from api.smorest import API_KEY, USER, Api
from app.core.errors import Conflict, DomainError
from app.extensions import csrf, db


WEBHOOKS_DOC = """

**Webhooks.** Register an endpoint (`POST /api/v1/webhooks/endpoints`, scope
`webhooks:write`) for event types such as `order.placed`; each event is POSTed as JSON
`{"id", "type", "created", "api_version", "sequence", "data": {"object"}}` where
`data.object` is the object as this API returns it and `sequence` increases per object.
Verify the header `Webhook-Signature: t=<unix seconds>,v1=<hex>`: hex is
HMAC-SHA256(your endpoint secret, `t + "." + raw body`); compare in constant time, and
refuse old `t` (we suggest 5 minutes). After a secret rotation there are two `v1=` for
24 hours (new and old secret): accept if any matches. Answer 2xx quickly; timeouts,
connection errors, 5xx and 429 (we honour `Retry-After`) are retried with exponential
backoff for 3 days, other answers are not. `Webhook-Id` is the event id: a replay sends
the same, so use it to drop duplicates."""


RATE_LIMITS_DOC = """

**Rate limits.** Each client (an API key, else a user's access token, else an address)
has one budget over every operation: by default 200 requests per 2 seconds (100 a second
on average, with bursts). Answers carry `RateLimit-Limit`, `RateLimit-Remaining`,
`RateLimit-Reset` (seconds) and `RateLimit-Policy`; past the limit the answer is 429 with
`Retry-After` (seconds). Sign-in, sign-up and password operations have stricter limits
of their own."""


def init_app(app: Flask) -> Api:
    from api.auth.routes import blp as auth_blp
    from api.orders.routes import blp as orders_blp
    from api.users.routes import blp as users_blp
    from api.products.routes import blp as products_blp
    from api.invoices.routes import blp as invoices_blp
    from api.payments.routes import blp as payments_blp
    from api.payments.methods import blp as payment_methods_blp
    from api.payments.transfers import blp as bank_transfers_blp
    from api.payments.webhooks import blp as gateway_webhooks_blp
    from api.webhooks.routes import blp as webhooks_blp

    account_pages.init_app(app)  # where email links land when there is no web app
    docs.init_app(app)  # Swagger UI's JavaScript and CSS, never from a CDN; the page
    api = Api(app, spec_kwargs={
        "info": {"description": "NextGen Market: commerce and billing API for apps and partners."
                            + WEBHOOKS_DOC + RATE_LIMITS_DOC},
        "servers": [{"url": "/"}],
    })
    api.spec.components.security_scheme(
        USER, {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
               "description": "End-user access token from /api/v1/auth/login."})
    api.spec.components.security_scheme(
        API_KEY, {"type": "http", "scheme": "bearer",
                  "description": "Partner API key (ngm_...), created in the back office."})
    for blp in (auth_blp, users_blp, orders_blp, products_blp, invoices_blp, payments_blp,
                payment_methods_blp, bank_transfers_blp, gateway_webhooks_blp, webhooks_blp):
        api.register_blueprint(blp)
        csrf.exempt(blp)  # token-authenticated, never cookie-authenticated
    openapi30.init_app(app, api)  # the same document for generators without 3.1

    # After-request hooks run last-registered first: caching headers go on after CORS's.
    http_cache.init_app(app)  # ETag, If-None-Match -> 304, Cache-Control, Vary
    cors.init_app(app)  # browser apps on the origins in CORS_ORIGINS

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        # The same JSON shape as every HTTP error; plain text for non-API callers.
        if wants_json():
            return domain_error_response(exc)
        return exc.message, exc.status

    @app.errorhandler(IntegrityError)
    def _integrity_error(exc: IntegrityError):
        # A constraint or trigger refused a write a concurrent request made stale (the
        # service checks come first; this is the database's last word): 409, not 500.
        db.session.rollback()
        conflict = Conflict("The request conflicts with the current state of the data; "
                            "reload and try again.")
        if wants_json():
            return domain_error_response(conflict)
        return conflict.message, conflict.status

    app.extensions["nextgen_api"] = api
    return api
