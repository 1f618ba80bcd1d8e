"""Who is calling: an end user (JWT) or a partner (API key), from the Authorization header."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from app.apikeys import service as apikeys
from app.core.actor import Actor
from app.core.errors import AuthenticationFailed
from app.users import service as users


@dataclass
class Principal:
    actor: Actor
    user: object | None = None
    session_id: object | None = None
    api_key: object | None = None


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Missing bearer token.")
    return token.strip()


def current_principal() -> Principal:
    cached = g.get("principal")
    if cached is not None:
        return cached
    token = bearer_token()
    if apikeys.looks_like_key(token):
        key = apikeys.authenticate(token)
        principal = Principal(actor=apikeys.actor_for(key), api_key=key)
    else:
        user, session_id = users.authenticate(token)
        principal = Principal(actor=users.actor_for(user), user=user, session_id=session_id)
    g.principal = principal
    return principal
