"""Keyset (cursor) pagination for collections that grow without bound: opaque cursors
(base64url of a JSON list: the sort key of the last row seen, id last) and the newest-first
page query."""
from __future__ import annotations

import base64
import uuid
from datetime import datetime

import orjson

from sqlalchemy import Integer, bindparam, tuple_

from app.core.errors import InvalidInput
from app.core.types import UUID, UTCDateTime
from app.extensions import db


def encode(values: list) -> str:
    """An opaque cursor holding ``values`` (JSON-able)."""
    raw = orjson.dumps(values)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def malformed() -> InvalidInput:
    return InvalidInput("Malformed cursor.", errors={"cursor": ["Not a cursor from this API."]})


def decode(cursor: str) -> list:
    """The values of a cursor from ``encode``; InvalidInput (422) for anything else."""
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:  # base64 (binascii.Error) and JSON errors alike
        raise malformed() from None
    if not isinstance(values, list):
        raise malformed()
    return values


def aware(text) -> datetime:
    """A cursor's timestamp: ISO 8601 with an offset (ValueError/TypeError otherwise)."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError("naive")
    return parsed


def encode_cursor(created_at: datetime, ident: uuid.UUID) -> str:
    return encode([created_at.isoformat(), str(ident)])


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, ident = decode(cursor)
        return aware(at), uuid.UUID(ident)
    except (ValueError, TypeError, AttributeError):
        raise malformed() from None


MAX_LIMIT = 200


def clamp(limit) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def after(model):
    """The keyset condition, with the cursor as bound parameters ``cursor_at`` and
    ``cursor_id`` (see ``params``). A row-value comparison: PostgreSQL walks the index to
    the spot (an OR of the two conditions is applied as a filter, costing as much as
    OFFSET)."""
    return tuple_(model.created_at, model.id) < tuple_(
        bindparam("cursor_at", type_=UTCDateTime()), bindparam("cursor_id", type_=UUID))


def newest_first(stmt, model):
    """``stmt`` ordered newest first, limited to the bound ``limit`` (one row more than
    the page, to know whether another page follows)."""
    return stmt.order_by(model.created_at.desc(), model.id.desc()).limit(
        bindparam("limit", type_=Integer))


def params(cursor: str | None, limit: int) -> dict:
    values = {"limit": limit + 1}
    if cursor:
        values["cursor_at"], values["cursor_id"] = decode_cursor(cursor)
    return values


def split(found: list, limit: int, key=lambda row: (row.created_at, row.id)
          ) -> tuple[list, str | None]:
    """The page and the cursor of the next one (None on the last page); ``key`` gives a
    row's (created_at, id)."""
    has_more = len(found) > limit
    found = found[:limit]
    return found, (encode_cursor(*key(found[-1])) if has_more else None)


def page(stmt, model, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """Newest first by (created_at, id): page 1000 costs what page 1 costs."""
    limit = clamp(limit)
    if cursor:
        stmt = stmt.where(after(model))
    found = db.session.scalars(newest_first(stmt, model), params(cursor, limit)).all()
    return split(found, limit)
