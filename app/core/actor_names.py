"""Actors as people read them: "Alice Martin (finance)" instead of ``staff:9d2a...``.

History rows and audit entries store an actor's ref (``kind:uuid``); pages and exports
show names. Lookups are batched per kind and cached for the request (or the export), so a
list of fifty rows costs at most one query per kind of actor."""
from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from app.core.types import as_uuid
from app.extensions import db


def _split(ref: str) -> tuple[str, object]:
    kind, _, ident = (ref or "").partition(":")
    return kind, as_uuid(ident)


def _load(kind: str, ids: set) -> dict:
    if not ids:
        return {}
    if kind == "staff":
        from app.staff.models import Staff

        rows = db.session.execute(select(Staff.id, Staff.full_name, Staff.email, Staff.role)
                                  .where(Staff.id.in_(ids)))
        return {i: f"{name or email} ({role})" for i, name, email, role in rows}
    if kind == "user":
        from app.users.models import User

        rows = db.session.execute(select(User.id, User.full_name, User.email)
                                  .where(User.id.in_(ids)))
        return {i: f"{name or email} (customer)" for i, name, email in rows}
    if kind == "apikey":
        from app.apikeys.models import ApiKey

        rows = db.session.execute(select(ApiKey.id, ApiKey.name).where(ApiKey.id.in_(ids)))
        return {i: f"{name} (API key)" for i, name in rows}
    return {}


def _cache() -> dict:
    if not has_app_context():
        return {}
    if "actor_names" not in g:
        g.actor_names = {}
    return g.actor_names


def names(refs) -> dict[str, str]:
    """Name for each ref; unknown or deleted actors keep their ref (never hidden)."""
    cache = _cache()
    wanted: dict[str, set] = {}
    for ref in refs:
        if ref and ref not in cache:
            kind, ident = _split(ref)
            if ident is not None:
                wanted.setdefault(kind, set()).add(ident)
    for kind, ids in wanted.items():
        for ident, name in _load(kind, ids).items():
            cache[f"{kind}:{ident}"] = name
    return {ref: cache.get(ref) or _fallback(ref) for ref in refs if ref}


def name(ref: str | None) -> str:
    if not ref:
        return ""
    return names([ref])[ref]


def _fallback(ref: str) -> str:
    kind, ident = _split(ref)
    if ident is None:
        return ref  # "system", "anonymous", "system:reconciliation"
    return f"{kind} {str(ident)[:8]} (deleted?)"
