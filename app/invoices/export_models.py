import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class InvoiceExport(db.Model):
    """A bulk export (ZIP of PDFs) built by a job; progress is pushed to the back office."""

    __tablename__ = "invoice_exports"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(10), default="zip")
    requested_by: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|running|done|failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    file_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class InvoiceExportItem(db.Model):
    """One invoice of an export, in order. Rows, not a JSON list: the job reads them in
    batches, so its memory does not grow with the size of the selection."""

    __tablename__ = "invoice_export_items"

    export_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice_exports.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID)
