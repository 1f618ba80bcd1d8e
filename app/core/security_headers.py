"""Security headers for every response of the app, set in this one place (OWASP secure
headers): a Content-Security-Policy without inline script (a per-response nonce for the
few templates that need one: Flask-Admin's and the docs page's), nosniff, no framing,
Referrer-Policy, and HSTS in secure environments. Cache-Control is not set here: the API
sets it per response (api/http_cache.py), the back office in admin/__init__.py."""
from __future__ import annotations

import secrets

from flask import Flask, g, has_request_context

# Pages (HTML): their own scripts and styles only. Inline styles stay allowed (Bootstrap
# and Swagger UI set style attributes; a style cannot run code); inline script does not.
# data: images are Swagger UI's and Bootstrap's icons, and the TOTP QR code.
_PAGE_POLICY = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'")
# Anything else (JSON, CSV, PDF, scripts): nothing to run, nothing to load.
_DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def csp_nonce() -> str:
    """The nonce of this response, for <script nonce="..."> in a template."""
    if not has_request_context():
        return ""
    nonce = g.get("_csp_nonce")
    if nonce is None:
        nonce = g._csp_nonce = secrets.token_urlsafe(16)
    return nonce


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        if response.mimetype == "text/html":
            policy = _PAGE_POLICY.format(nonce=csp_nonce())
        else:
            policy = _DATA_POLICY
        # setdefault: a view that must differ says so itself (the invoice PDF the detail
        # page frames).
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["HSTS_MAX_AGE"]:
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={app.config['HSTS_MAX_AGE']}; includeSubDomains")
        return response
