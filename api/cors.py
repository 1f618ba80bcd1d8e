"""CORS, so web apps served from other origins can call the API from the browser.

Only /api/*, only the origins in CORS_ORIGINS (none by default: no CORS header at all),
and never with credentials: the API authenticates with a bearer token in Authorization,
which a browser app sets itself, so cookies (the back office's session) never need to
cross origins. An unlisted origin gets the plain answer, which the browser then hides.
"""
from __future__ import annotations

from flask import Flask
from flask_cors import CORS

# What the API reads from requests (tokens, preconditions, idempotency, tracing).
ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "If-Match",
                 "If-None-Match", "X-Request-ID"]
# Response headers a script may read beyond the CORS-safelisted ones: ETag for If-Match,
# replays, rate limits and Retry-After, the request id to quote in support requests,
# the PDF's file name.
EXPOSE_HEADERS = ["ETag", "Idempotent-Replayed", "Retry-After", "X-Request-ID",
                  "X-Client-Request-ID",
                  "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy",
                  "Content-Disposition"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def init_app(app: Flask) -> None:
    origins = app.config["CORS_ORIGINS"]
    if not origins:
        return
    CORS(app, resources=r"/api/*", origins=list(origins), methods=METHODS,
         allow_headers=ALLOW_HEADERS, expose_headers=EXPOSE_HEADERS,
         supports_credentials=False, max_age=app.config["CORS_MAX_AGE"],
         # `*` is sent as such (one cacheable answer for everyone); a list is matched
         # and echoed, with Vary: Origin for caches.
         send_wildcard=origins == ("*",), vary_header=True)
