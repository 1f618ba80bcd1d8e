"""Keyset (cursor) pagination for collections that grow without bound: opaque cursors
(base64url of created_at, id) and the page query."""
from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime

from sqlalchemy import tuple_

from app.core.errors import InvalidInput
from app.extensions import db


def encode_cursor(created_at: datetime, ident: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(ident)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, ident = json.loads(raw)
        parsed = datetime.fromisoformat(at)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, uuid.UUID(ident)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput("Malformed cursor.", errors={"cursor": ["Not a cursor from this API."]}) from None


MAX_LIMIT = 200


def page(stmt, model, *, cursor: str | None, limit: int, rows: bool = False
         ) -> tuple[list, str | None]:
    """Newest first by (created_at, id): page 1000 costs what page 1 costs. With
    ``rows``, ``stmt`` selects columns (ending with created_at, id) and rows come back."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    if cursor:
        at, last_id = decode_cursor(cursor)
        # A row-value comparison: PostgreSQL walks the index to the spot (an OR of the
        # two conditions is applied as a filter, costing as much as OFFSET).
        stmt = stmt.where(tuple_(model.created_at, model.id) < tuple_(at, last_id))
    ordered = stmt.order_by(model.created_at.desc(), model.id.desc()).limit(limit + 1)
    found = (db.session.execute(ordered) if rows else db.session.scalars(ordered)).all()
    has_more = len(found) > limit
    found = found[:limit]
    return found, (encode_cursor(found[-1].created_at, found[-1].id) if has_more else None)
