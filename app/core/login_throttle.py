"""Throttling of sign-in attempts (end users on the API, staff in the back office).

The choice, against OWASP ASVS 5.0 V6.1.1/V6.3.1 and the OWASP authentication cheat sheet
("account lockout" and its "device cookies" variant): failed attempts are counted

- per account, keyed on the email exactly as login normalises it (app.core.emails), so
  ``chen@ｅxample.com`` and ``CHEN@example.com`` share one bucket;
- per client IP, as seen through ``TRUSTED_PROXIES`` proxies (ProxyFix, app.create_app);
- per known device: a browser or app that has signed in to this account before holds a
  signed, path-limited, HttpOnly device cookie naming the account.

An attempt carrying a valid device cookie for the account it names is counted only in
that device's bucket: the account and IP buckets an attacker fills do not stop it, so
guessing passwords cannot lock the real user out of the devices they use (the lockout
weapon), while the attacker, who holds no such cookie, is still held to
``LOGIN_RATE_LIMIT_ACCOUNT`` per account and ``LOGIN_RATE_LIMIT_IP`` per address. A stolen
device cookie only unlocks its own bucket, with the same limit. A user on a new device
while the account is under attack waits for the window (Retry-After) or resets the
password, whose link arrives by email.

Only failed attempts count (``deduct_when``); ``password_hashing`` (below) bounds the
argon2 work of every request per IP, failed or not. The counters live where Flask-Limiter keeps
them: Redis when configured; when Redis is unreachable Flask-Limiter logs a warning and
counts in memory until Redis is back, so a login never fails because Redis did.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import after_this_request, current_app, g, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.core.emails import normalise_email
from app.core.errors import InvalidInput
from app.extensions import limiter


def login_identity(email) -> str:
    """The account an attempt is for, normalised as login normalises it. Every malformed
    address shares one bucket: none of them can sign in anyway."""
    try:
        return normalise_email(email)
    except InvalidInput:
        return "(invalid)"


class LoginThrottle:
    """The limits of one sign-in form. ``read_email`` takes the email from the request;
    ``failed`` tells from the response whether the attempt failed (and so counts)."""

    def __init__(self, realm: str, cookie_path: str, read_email: Callable[[], object],
                 failed: Callable[[object], bool]):
        self.realm = realm
        self.cookie_name = f"ngm_device_{realm}"
        self.cookie_path = cookie_path
        self.read_email = read_email
        self.failed = failed

    # -- who is trying ---------------------------------------------------------------------
    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                      salt=f"login-device:{self.realm}")

    def identity(self) -> str:
        cache = g.setdefault("_login_identity", {})
        if self.realm not in cache:
            cache[self.realm] = login_identity(self.read_email())
        return cache[self.realm]

    def device(self) -> str | None:
        """The nonce of this request's device cookie when it is valid for this account."""
        cache = g.setdefault("_login_device", {})
        if self.realm not in cache:
            cache[self.realm] = self._read_device()
        return cache[self.realm]

    def _read_device(self) -> str | None:
        raw = request.cookies.get(self.cookie_name)
        if not raw or len(raw) > 512:
            return None
        max_age = current_app.config["LOGIN_DEVICE_TTL"].total_seconds()
        try:
            data = self._serializer().loads(raw, max_age=max_age)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or data.get("e") != self.identity():
            return None
        nonce = data.get("n")
        return nonce if isinstance(nonce, str) and nonce else None

    def known_device(self) -> bool:
        return self.device() is not None

    # -- the limits ------------------------------------------------------------------------
    def limits(self, view):
        realm = self.realm

        def account_limit() -> str:
            return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]

        def ip_limit() -> str:
            return current_app.config["LOGIN_RATE_LIMIT_IP"]

        common = {"methods": ["POST"], "deduct_when": self.failed}
        by_ip = limiter.limit(ip_limit, key_func=lambda: f"{realm}-login-ip:{get_remote_address()}",
                              exempt_when=self.known_device, **common)
        by_account = limiter.limit(account_limit,
                                   key_func=lambda: f"{realm}-login-account:{self.identity()}",
                                   exempt_when=self.known_device, **common)
        by_device = limiter.limit(account_limit,
                                  key_func=lambda: f"{realm}-login-device:{self.device()}",
                                  exempt_when=lambda: not self.known_device(), **common)
        return by_ip(by_account(by_device(view)))

    def remember_device(self, email: str) -> None:
        """After a successful sign-in: this client becomes a known device of the account."""
        token = self._serializer().dumps({"e": login_identity(email),
                                          "n": secrets.token_urlsafe(16)})
        max_age = int(current_app.config["LOGIN_DEVICE_TTL"].total_seconds())
        secure = bool(current_app.config["SESSION_COOKIE_SECURE"])

        @after_this_request
        def _set(response):
            response.set_cookie(self.cookie_name, token, max_age=max_age, path=self.cookie_path,
                                secure=secure, httponly=True, samesite="Strict")
            return response



# Every request that runs argon2 (64 MiB, tens of milliseconds) counts against one budget
# per client IP, whatever its answer: a flood of sign-ups, logins or password changes from
# one address cannot take the CPU and memory of the workers.
password_hashing = limiter.shared_limit(
    lambda: current_app.config["PASSWORD_HASH_RATE_LIMIT"], scope="password-hashing",
    key_func=lambda: f"password-hashing:{get_remote_address()}", methods=["POST"])
