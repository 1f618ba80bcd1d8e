"""Idempotency keys: a retried request with the same key and body gets the first answer.

A record is claimed (inserted as in progress) before the work starts, so of many
concurrent requests with one key exactly one does the work; the others see it in
progress (409) and, once it is done, get its stored response.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, InvalidInput
from app.core.types import utcnow
from app.extensions import db
from app.idempotency.models import IdempotencyRecord

TTL = timedelta(hours=24)
# An in-progress claim older than this belongs to a request that died: it may be retaken.
ABANDONED_AFTER = timedelta(seconds=60)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict


def fingerprint(operation: str, payload) -> str:
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def begin(principal: str, key: str, operation: str, payload) -> IdempotencyRecord | Replay:
    """Claim ``key`` for this request, or return the stored answer of the first one."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput("Invalid Idempotency-Key.",
                           errors={"Idempotency-Key": [f"1 to {MAX_KEY_LENGTH} printable characters."]})
    fp = fingerprint(operation, payload)
    now = utcnow()
    db.session.execute(delete(IdempotencyRecord).where(
        IdempotencyRecord.principal == principal, IdempotencyRecord.key == key,
        IdempotencyRecord.expires_at <= now))
    record = IdempotencyRecord(principal=principal, key=key, operation=operation, fingerprint=fp,
                               expires_at=now + TTL)
    db.session.add(record)
    try:
        db.session.commit()
        return record
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)).one()
    if existing.fingerprint != fp:
        raise InvalidInput("This Idempotency-Key was used with a different request.",
                           errors={"Idempotency-Key": ["Reused with another body."]})
    if existing.status == "done":
        return Replay(existing.response_status, existing.response_body)
    if now - existing.created_at > ABANDONED_AFTER:
        taken = db.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == existing.id,
                   IdempotencyRecord.created_at == existing.created_at,
                   IdempotencyRecord.status == "in_progress")
            .values(created_at=now)).rowcount
        db.session.commit()
        if taken:
            return db.session.get(IdempotencyRecord, existing.id)
    raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")


def complete(record: IdempotencyRecord, status: int, body: dict) -> None:
    """Store the answer. 5xx answers are not stored: the client may retry the same key."""
    if status >= 500:
        release(record)
        return
    db.session.execute(update(IdempotencyRecord).where(IdempotencyRecord.id == record.id)
                       .values(status="done", response_status=status, response_body=body))
    db.session.commit()


def release(record: IdempotencyRecord) -> None:
    db.session.rollback()
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))
    db.session.commit()


def purge_expired() -> int:
    count = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())).rowcount
    db.session.commit()
    return count
