"""Access tokens (JWT), refresh tokens (opaque, stored hashed) and signed email links."""
from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from functools import lru_cache
from datetime import datetime

import jwt
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core.errors import AuthenticationFailed, InvalidInput
from app.core.types import utcnow

ALGORITHM = "HS256"
ISSUER = "nextgen-market"


def _jwt_key() -> bytes:
    return current_app.config["JWT_SIGNING_KEY"]  # config.py: separate key or HKDF-derived


def issue_access_token(user_id: uuid.UUID, session_id: uuid.UUID) -> tuple[str, datetime]:
    now = utcnow()
    expires = now + current_app.config["JWT_ACCESS_TTL"]
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "iss": ISSUER,
        "typ": "access",
    }
    return jwt.encode(claims, _jwt_key(), algorithm=ALGORITHM), expires


@lru_cache(maxsize=4096)
def _verified(token: str, key: str) -> tuple[uuid.UUID, uuid.UUID, int]:
    """Signature, issuer and shape checked once per token (PyJWT costs ~100 us a call and
    apps send the same token for minutes); expiry is checked on every call, below."""
    claims = jwt.decode(
        token, key, algorithms=[ALGORITHM], issuer=ISSUER,
        options={"require": ["exp", "iat", "sub", "sid"], "verify_exp": False},
    )
    if claims.get("typ") != "access":
        raise jwt.InvalidTokenError("wrong token type")
    return uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"]), int(claims["exp"])


def decode_access_token(token: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Returns (user_id, session_id); raises AuthenticationFailed on any defect."""
    try:
        user_id, session_id, expires = _verified(token, _jwt_key())
    except (jwt.InvalidTokenError, ValueError, TypeError):
        raise AuthenticationFailed("Invalid access token.") from None
    if expires <= time.time():
        raise AuthenticationFailed("Access token expired.")
    return user_id, session_id


def new_refresh_token() -> tuple[str, str]:
    """Returns (token to hand out, its hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # High-entropy random tokens: a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"nextgen.{purpose}")


def sign(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age_seconds: int) -> dict:
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise InvalidInput("This link has expired.", errors={"token": ["Expired."]}) from None
    except BadSignature:
        raise InvalidInput("This link is invalid.", errors={"token": ["Invalid."]}) from None
