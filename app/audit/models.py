import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class AuditEntry(db.Model):
    """Append-only: the ORM refuses updates and deletes, and on PostgreSQL a trigger does too.

    Tamper-evident: ``seq``, ``prev_hash`` and ``hash`` chain every entry to the one before
    (app/audit/chain.py). They are set when the recording transaction commits, so the chain
    follows commit order; an entry is never seen committed without them."""

    __tablename__ = "audit_entries"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID, nullable=True, index=True)
    actor_label: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the server's
    client_request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(45), nullable=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditChainHead(db.Model):
    """One row: the last sealed entry. Locked (FOR UPDATE) by every sealing transaction,
    which is what orders the chain under concurrent writers; it also lets `verify` notice
    entries removed from the end."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditArchive(db.Model):
    """An archived stretch of the chain (seq first..last) kept in object storage; the
    hashes here are what a restored file must reproduce."""

    __tablename__ = "audit_archives"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    first_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuditLogImmutable(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AuditLogImmutable("audit entries cannot be changed or deleted")
