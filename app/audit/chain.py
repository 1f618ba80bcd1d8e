"""The audit log's hash chain: each entry's hash covers its content and the previous
entry's hash, so a changed, removed or slipped-in row breaks the chain where it happened.

Entries are sealed (given seq, prev_hash and hash) as the transaction that recorded them
commits, under a row lock on the one-row chain head: concurrent writers seal one after the
other, in commit order, and hold the lock only for the few statements of the commit, after
every other lock they take (so the lock adds no deadlock). On PostgreSQL the lock is
``SELECT ... FOR UPDATE``, which under READ COMMITTED returns the head the previous sealer
committed. SQLite has a single writer: a transaction that recorded an entry already holds
the database's write lock, so nothing can seal between its reading the head and its commit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import event as sa_event, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.audit.models import AuditArchive, AuditChainHead, AuditEntry

GENESIS = "0" * 64
HEAD_ID = 1
# What the hash covers, in this order; the format of every archive, never reorder.
CHAINED = ("id", "seq", "occurred_at", "actor_kind", "actor_id", "actor_label", "action",
           "target_type", "target_id", "before", "after", "request_id",
           "client_request_id", "ip")
_UNSEALED = "nextgen_audit_unsealed"

entries = AuditEntry.__table__
head_table = AuditChainHead.__table__


def _canonical_value(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(row) -> dict:
    """The entry as plain JSON values: what is hashed, and one line of an archive."""
    return {name: _canonical_value(row[name]) for name in CHAINED}


def entry_hash(row, prev_hash: str) -> str:
    body = json.dumps(canonical(row), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _lock_head(conn: Connection) -> tuple[int, str]:
    head = conn.execute(select(head_table.c.seq, head_table.c.hash)
                        .where(head_table.c.id == HEAD_ID).with_for_update()).first()
    if head is None:  # a database made without the migrations (create_all)
        conn.execute(insert(head_table).values(id=HEAD_ID, seq=0, hash=GENESIS))
        return 0, GENESIS
    return head.seq, head.hash


def seal(conn: Connection, ids) -> int:
    """Chain the unsealed entries ``ids`` (recorded by this transaction) after the head."""
    ids = list(ids)
    if not ids:
        return 0
    seq, prev = _lock_head(conn)
    rows = conn.execute(select(entries).where(entries.c.id.in_(ids), entries.c.seq.is_(None))
                        .order_by(entries.c.occurred_at, entries.c.id)).mappings().all()
    for row in rows:
        seq += 1
        values = dict(row, seq=seq)
        digest = entry_hash(values, prev)
        conn.execute(update(entries).where(entries.c.id == row["id"])
                     .values(seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    if rows:
        conn.execute(update(head_table).where(head_table.c.id == HEAD_ID)
                     .values(seq=seq, hash=prev))
    return len(rows)


@sa_event.listens_for(Session, "after_flush")
def _track_new_entries(session, flush_context):
    for obj in session.new:
        if isinstance(obj, AuditEntry) and obj.seq is None:
            session.info.setdefault(_UNSEALED, set()).add(obj.id)


@sa_event.listens_for(Session, "before_commit")
def _seal_on_commit(session):
    session.flush()
    ids = session.info.pop(_UNSEALED, None)
    if ids:
        seal(session.connection(bind_arguments={"mapper": AuditEntry.__mapper__}), ids)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_unsealed(session, previous_transaction):
    if not session.in_transaction():
        session.info.pop(_UNSEALED, None)


@dataclass
class Verdict:
    ok: bool
    checked: int
    broken_id: str | None = None
    broken_seq: int | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries checked"
        where = f"entry {self.broken_id}" if self.broken_id else "the chain"
        seq = f" (seq {self.broken_seq})" if self.broken_seq is not None else ""
        return f"audit chain BROKEN at {where}{seq}: {self.reason} ({self.checked} checked before it)"


def verify_rows(rows, prev_hash: str = GENESIS, first_seq: int = 1,
                archives: dict | None = None) -> Verdict:
    """Walk entries (mappings in seq order) from ``prev_hash``; a stretch missing from the
    rows is fine only where an archive (by first seq) holds it and chains on."""
    archives = archives or {}
    expected, prev, checked = first_seq, prev_hash, 0

    def skip_archived():
        nonlocal expected, prev
        while expected in archives and archives[expected]["prev_hash"] == prev:
            archive = archives[expected]
            prev, expected = archive["last_hash"], archive["last_seq"] + 1

    for row in rows:
        rid = str(row["id"])
        if row["seq"] is None or row["hash"] is None:
            return Verdict(False, checked, rid, None, "not in the chain (inserted around it)")
        if row["seq"] != expected:
            skip_archived()
        if row["seq"] != expected:
            return Verdict(False, checked, rid, row["seq"],
                           f"expected seq {expected}: entries before it were removed"
                           if row["seq"] > expected else f"expected seq {expected}")
        if row["prev_hash"] != prev:
            return Verdict(False, checked, rid, row["seq"],
                           "its previous hash does not match the entry before it "
                           "(an entry before it was removed or replaced)")
        if entry_hash(row, prev) != row["hash"]:
            return Verdict(False, checked, rid, row["seq"],
                           "its content does not match its hash (changed)")
        prev, expected, checked = row["hash"], expected + 1, checked + 1
    skip_archived()
    return Verdict(True, checked, broken_seq=expected - 1, reason=prev)


def _batches(conn: Connection, size: int = 1000):
    last = 0
    while True:
        rows = conn.execute(select(entries).where(entries.c.seq > last)
                            .order_by(entries.c.seq).limit(size)).mappings().all()
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def verify(conn: Connection) -> Verdict:
    """The whole chain: the table's entries with the archived stretches between them,
    then the head (which catches entries removed from the end)."""
    stray = conn.execute(select(entries.c.id).where(entries.c.seq.is_(None))
                         .order_by(entries.c.occurred_at, entries.c.id).limit(1)).first()
    if stray is not None:
        return Verdict(False, 0, str(stray.id), None, "not in the chain (inserted around it)")
    archives = {a["first_seq"]: a for a in
                conn.execute(select(AuditArchive.__table__)).mappings().all()}
    verdict = verify_rows(_batches(conn), archives=archives)
    if not verdict.ok:
        return verdict
    last_seq, last_hash = verdict.broken_seq, verdict.reason
    head = conn.execute(select(head_table.c.seq, head_table.c.hash)
                        .where(head_table.c.id == HEAD_ID)).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, last_hash):
        return Verdict(False, verdict.checked, None, last_seq + 1,
                       f"the chain head is at seq {head_seq} but the entries end at seq "
                       f"{last_seq}: entries from there were removed, or the head was changed")
    return Verdict(True, verdict.checked)
