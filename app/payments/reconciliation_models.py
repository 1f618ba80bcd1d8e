"""The reconciliation report: what the gateways hold that differs from our payments and
refunds (and what reconciliation healed), one row per object and issue."""
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db

ISSUES = ("healed_missed_webhook", "amount_mismatch", "currency_mismatch", "status_mismatch",
          "unknown_payment", "unknown_refund")


class ReconciliationItem(db.Model):
    """Seen again by a later run: the same row, ``last_seen_at`` and ``times_seen`` move."""

    __tablename__ = "reconciliation_items"
    __table_args__ = (
        UniqueConstraint("gateway", "gateway_object_id", "issue"),
        Index("ix_reconciliation_items_last_seen", "last_seen_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    gateway: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))  # payment | refund
    gateway_object_id: Mapped[str] = mapped_column(String(255))
    issue: Mapped[str] = mapped_column(String(30))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"), nullable=True)
    refund_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("refunds.id"), nullable=True)
    ours: Mapped[str | None] = mapped_column(String(200), nullable=True)
    theirs: Mapped[str | None] = mapped_column(String(200), nullable=True)
    detail: Mapped[str] = mapped_column(String(500), default="")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    times_seen: Mapped[int] = mapped_column(Integer, default=1)
