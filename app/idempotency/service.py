"""Idempotency keys: a retried request with the same key and body gets the first answer.

The claim (a record inserted as in progress), the work, its outbox rows and the stored
answer are one transaction. A concurrent request with the same key blocks on the unique
index (PostgreSQL; SQLite serialises writers) until that transaction ends, then reads the
stored answer. A crash leaves nothing, so a retry simply does the work; nothing is ever
redone because a clock said the first attempt looked dead.
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
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict


def fingerprint(operation: str, payload) -> str:
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def begin(principal: str, key: str, operation: str, payload, *,
          resume_after: timedelta | None = None) -> IdempotencyRecord | Replay:
    """Claim ``key`` in the current transaction, or return the stored answer of the first
    request; the caller commits the claim together with the work and the answer.

    ``resume_after``: for work that commits its claim before an outside call it makes
    idempotent itself (a payment gateway keyed by our id), a claim left in progress that
    long by a process that died is taken over by one retry, which redoes that call."""
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
        db.session.flush()  # waits here while another transaction holds the same key
        return record
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)).first()
    if existing is not None and existing.fingerprint != fp:
        raise InvalidInput("This Idempotency-Key was used with a different request.",
                           errors={"Idempotency-Key": ["Reused with another body."]})
    if existing is not None and existing.status == "done":
        return Replay(existing.response_status, existing.response_body)
    if existing is not None and resume_after is not None \
            and existing.created_at <= now - resume_after and _take_over(existing, now):
        return existing
    # Only a record written before answers were stored with their work is ever seen in
    # progress (or one purged just now): the client retries, nothing is retaken here.
    raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")


def _take_over(record: IdempotencyRecord, now) -> bool:
    # Guarded: of several retries after the lease ran out, exactly one takes the claim.
    taken = db.session.execute(
        update(IdempotencyRecord).where(IdempotencyRecord.id == record.id,
                                        IdempotencyRecord.status == "in_progress",
                                        IdempotencyRecord.created_at == record.created_at)
        .values(created_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.expire(record)
    return taken == 1


def release(record: IdempotencyRecord) -> None:
    """Give a committed claim up (its work ended in a 5xx): the client may retry the key."""
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))


def complete(record: IdempotencyRecord, status: int, body: dict) -> None:
    """Store the answer in the claim's transaction. 5xx are never stored: their
    transaction rolls back with the claim, and the client may retry the same key."""
    if status >= 500:
        raise ValueError("5xx answers are not stored")
    record.status, record.response_status, record.response_body = "done", status, body
    db.session.flush()


def purge_expired() -> int:
    return db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())).rowcount
