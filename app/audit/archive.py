"""Moving old audit entries to object storage and back, without breaking the chain.

An archive is a stretch of the chain (seq first..last, following the previous archive) as
gzip-compressed JSON lines, each the hashed fields plus seq, prev_hash and hash. Its record
(AuditArchive) keeps the file's sha256 and the chain's hashes at both ends, so a restore
refuses a file that differs in any byte, and `verify` walks over archived stretches."""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import uuid

from flask import current_app
from sqlalchemy import delete, func, insert, select, text

from app.audit import chain, service as audit
from app.audit.models import AuditArchive
from app.audit.storage import ArchiveNotFound, archive_storage
from app.core.actor import Actor
from app.core.errors import Conflict, DomainError
from app.core.types import utcnow
from app.extensions import db

MAX_ENTRIES_PER_ARCHIVE = 50_000
entries = chain.entries


class ArchiveRefused(DomainError):
    """The archive is not what was archived (or cannot be put back): nothing restored."""


def _line(row) -> dict:
    return {**chain.canonical(row), "prev_hash": row["prev_hash"], "hash": row["hash"]}


def _encode(rows) -> bytes:
    body = "".join(json.dumps(_line(r), sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False) + "\n" for r in rows)
    return gzip.compress(body.encode(), mtime=0)


def archive_old(days: int | None = None, now: dt.datetime | None = None) -> AuditArchive | None:
    """Archive the oldest entries recorded before ``days`` ago (AUDIT_ARCHIVE_DAYS), from
    where the last archive ended; the caller's unit of work commits. Only a chain that
    verifies is archived: archiving a broken one would hide the break."""
    days = current_app.config["AUDIT_ARCHIVE_DAYS"] if days is None else days
    if days <= 0:
        return None
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    last = db.session.execute(select(AuditArchive.last_seq, AuditArchive.last_hash)
                              .order_by(AuditArchive.last_seq.desc()).limit(1)).first()
    after_seq, prev = (last.last_seq, last.last_hash) if last else (0, chain.GENESIS)
    young = db.session.scalar(select(func.min(entries.c.seq))
                              .where(entries.c.seq > after_seq, entries.c.occurred_at >= cutoff))
    query = select(entries).where(entries.c.seq > after_seq)
    if young is not None:
        query = query.where(entries.c.seq < young)
    rows = db.session.execute(query.order_by(entries.c.seq)
                              .limit(MAX_ENTRIES_PER_ARCHIVE)).mappings().all()
    if not rows:
        return None
    verdict = chain.verify_rows(rows, prev, after_seq + 1)
    if not verdict.ok:
        raise Conflict(f"audit chain broken, nothing archived: {verdict.describe()}")
    data = _encode(rows)
    first_seq, last_seq = rows[0]["seq"], rows[-1]["seq"]
    name = f"audit-{first_seq:012d}-{last_seq:012d}.jsonl.gz"
    # Stored before the entries go: a failure after this leaves the entries in place, and
    # the next run writes the same file again.
    archive_storage().put(name, data)
    record = AuditArchive(name=name, first_seq=first_seq, last_seq=last_seq, prev_hash=prev,
                          last_hash=rows[-1]["hash"], entries=len(rows),
                          sha256=hashlib.sha256(data).hexdigest())
    db.session.add(record)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        # The append-only trigger lets this transaction, and only it, remove sealed entries.
        db.session.execute(text("SET LOCAL nextgen.audit_archiving = 'on'"))
    db.session.execute(delete(entries).where(entries.c.seq.between(first_seq, last_seq)))
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL nextgen.audit_archiving = 'off'"))
    audit.record(Actor.system("audit-archive"), "audit.archive", "audit_archive", name,
                 after={"first_seq": first_seq, "last_seq": last_seq, "entries": len(rows),
                        "sha256": record.sha256, "storage": current_app.config["AUDIT_ARCHIVE_STORAGE"]})
    return record


def _decode(data: bytes) -> list[dict]:
    try:
        text_ = gzip.decompress(data).decode()
        return [json.loads(line) for line in text_.splitlines() if line]
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise ArchiveRefused(f"not a readable archive ({type(exc).__name__})") from None


def _row(line: dict) -> dict:
    row = {k: line.get(k) for k in chain.CHAINED}
    row["id"] = uuid.UUID(row["id"])
    row["actor_id"] = uuid.UUID(row["actor_id"]) if row["actor_id"] else None
    row["occurred_at"] = dt.datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00"))
    return {**row, "prev_hash": line.get("prev_hash"), "hash": line.get("hash")}


def check(name: str, data: bytes, record: AuditArchive | None) -> list[dict]:
    """The archive's entries, if it is exactly the archive recorded as ``name``."""
    if record is None:
        raise ArchiveRefused(f"{name} is not a recorded archive")
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise ArchiveRefused(f"{name} differs from what was archived (sha256 mismatch)")
    lines = _decode(data)
    if not all(isinstance(line, dict) and set(chain.CHAINED) <= line.keys() for line in lines):
        raise ArchiveRefused(f"{name} has lines that are not audit entries")
    verdict = chain.verify_rows(lines, record.prev_hash, record.first_seq)
    if not verdict.ok:
        raise ArchiveRefused(f"{name}: {verdict.describe()}")
    if (len(lines), lines[-1]["hash"] if lines else None) != (record.entries, record.last_hash):
        raise ArchiveRefused(f"{name} does not end where its record says")
    return [_row(line) for line in lines]


def restore(name: str, actor: Actor) -> int:
    """Put an archive's entries back into the table, identical, after checking every hash;
    a refusal is audited (in its own transaction) and changes nothing else."""
    try:
        record = db.session.scalar(select(AuditArchive).where(AuditArchive.name == name))
        try:
            data = archive_storage().get(name)
        except (ArchiveNotFound, ValueError):
            raise ArchiveRefused(f"no archive named {name!r} in storage") from None
        rows = check(name, data, record)
        present = db.session.scalar(select(func.count()).select_from(entries).where(
            entries.c.seq.between(record.first_seq, record.last_seq)))
        if present:
            raise ArchiveRefused(f"{name} is already restored ({present} entries present)")
    except ArchiveRefused as exc:
        db.session.rollback()
        audit.record_failure(actor, "audit.restore_refused", "audit_archive", name[:64],
                             after={"reason": exc.message})
        raise
    if rows:
        db.session.execute(insert(entries), rows)
    record.restored_at = utcnow()
    audit.record(actor, "audit.restore", "audit_archive", name,
                 after={"first_seq": record.first_seq, "last_seq": record.last_seq,
                        "entries": len(rows)})
    return len(rows)
