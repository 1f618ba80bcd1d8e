"""Partner API keys: created (shown once), scoped, revocable, last use recorded."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import g, has_request_context
from sqlalchemy import bindparam, select, update

from app.apikeys.models import ApiKey
from app.audit import service as audit
from app.core.actor import Actor
from app.core.lookup import get_or_not_found
from app.core.readonly import first, write_without_flush_wait
from app.core.errors import AuthenticationFailed, Conflict, InvalidInput
from app.core.types import utcnow
from app.extensions import db

KEY_PREFIX = "ngm_"
# Exactly the scopes some operation requires (tests/contract/test_scopes.py compares this
# with the spec): a scope that guards nothing would give partners a false sense of limits.
SCOPES = ("catalog:write", "orders:read", "invoices:read", "invoices:write",
          "payments:read", "payments:write", "webhooks:read", "webhooks:write")
LAST_USED_RESOLUTION = timedelta(minutes=1)  # at most one write per key per minute


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def validate_scopes(scopes) -> list[str]:
    scopes = sorted(set(scopes or []))
    bad = [s for s in scopes if s not in SCOPES]
    if bad or not scopes:
        raise InvalidInput("Unknown or missing scopes.",
                           errors={"scopes": [f"Choose from: {', '.join(SCOPES)}."]})
    return scopes


def create(name: str, scopes, *, actor: Actor) -> tuple[ApiKey, str]:
    """Returns the key row and the full key, which is never retrievable again."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A name is required.", errors={"name": ["Required."]})
    scopes = validate_scopes(scopes)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(id=uuid.uuid4(), name=name[:120], prefix=prefix, key_hash=_hash(secret),
                 scopes=scopes, created_by=actor.label)
    db.session.add(key)
    audit.record(actor, "apikey.create", "api_key", key.id, after=key.public())
    db.session.flush()
    return key, f"{KEY_PREFIX}{prefix}_{secret}"


def revoke(key_id, *, actor: Actor) -> ApiKey:
    key = get_or_not_found(ApiKey, key_id, "API key not found.")
    if key.revoked_at is not None:
        raise Conflict("This key is already revoked.")
    key.revoked_at = utcnow()
    audit.record(actor, "apikey.revoke", "api_key", key.id, before={"revoked": False},
                 after={"revoked": True})
    db.session.flush()
    return key


@dataclass(frozen=True)
class KeyIdentity:
    """What a request needs of the key that authenticated it."""
    id: uuid.UUID
    name: str
    scopes: tuple[str, ...]


_TOUCH = update(ApiKey).where(ApiKey.id == bindparam("key_id")).values(
    last_used_at=bindparam("now"))
_BY_PREFIX = select(ApiKey.id, ApiKey.name, ApiKey.key_hash, ApiKey.scopes, ApiKey.revoked_at,
                    ApiKey.last_used_at).where(ApiKey.prefix == bindparam("prefix"))


def authenticate(token: str) -> KeyIdentity:
    """One read outside any transaction (this runs on every partner request); the last
    use is written at most once a minute per key."""
    if has_request_context():  # the edge's rate limit verified this key already
        cached = g.get("_api_key_identity")
        if cached is not None and cached[0] == token:  # the same header, same request
            return cached[1]
    body = token[len(KEY_PREFIX):] if token.startswith(KEY_PREFIX) else ""
    prefix, _, secret = body.partition("_")
    row = first(_BY_PREFIX, {"prefix": prefix}) if prefix else None
    if row is None or not hmac.compare_digest(row[2], _hash(secret)):
        raise AuthenticationFailed("Invalid API key.")
    key_id, name, _, scopes, revoked_at, last_used_at = row
    key_id = uuid.UUID(str(key_id))
    if revoked_at is not None:
        raise AuthenticationFailed("This API key has been revoked.")
    now = utcnow()
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        # Outside the request's unit of work: a touch must not hold the key's row lock
        # until the request ends, nor vanish when the request is refused.
        write_without_flush_wait(_TOUCH, {"key_id": key_id, "now": now})
    identity = KeyIdentity(id=key_id, name=name, scopes=tuple(scopes or ()))
    if has_request_context():
        g._api_key_identity = (token, identity)
    return identity


def actor_for(key: KeyIdentity) -> Actor:
    return Actor(kind="apikey", id=key.id, label=f"apikey:{key.name}",
                 scopes=frozenset(key.scopes or []))
