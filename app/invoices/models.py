import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Numeric,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db

STATUSES = ("draft", "finalised", "sent", "paid", "cancelled")


class Invoice(db.Model):
    """An invoice or a credit note (kind). Immutable once finalised: corrections are
    credit notes referencing the original."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("series", "number"),
        Index("ix_invoices_created_at_id", "created_at", "id"),
        Index("ix_invoices_customer_created", "customer_id", "created_at", "id"),
        CheckConstraint("(number IS NULL) = (finalised_at IS NULL)", name="numbered_once_finalised"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(12), default="invoice")  # invoice | credit_note
    series: Mapped[str] = mapped_column(String(12))  # INV | CN
    number: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"), nullable=True,
                                                       unique=True)
    credit_note_for_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"),
                                                                 nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    buyer: Mapped[dict] = mapped_column(JSON)
    seller: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    subtotal_amount: Mapped[int] = mapped_column(Integer, default=0)
    tax_amount: Mapped[int] = mapped_column(Integer, default=0)
    total_amount: Mapped[int] = mapped_column(Integer, default=0)
    issue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    pdf_status: Mapped[str] = mapped_column(String(12), default="none")  # none|pending|ready|failed
    pdf_path: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    lines: Mapped[list["InvoiceLine"]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.number or f"Draft {str(self.id)[:8]}"


class InvoiceLine(db.Model):
    __tablename__ = "invoice_lines"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(64), nullable=True)
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_amount: Mapped[int] = mapped_column(Integer)
    tax_category: Mapped[str] = mapped_column(String(32))
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4), default=Decimal("0"))
    net_amount: Mapped[int] = mapped_column(Integer, default=0)
    tax_amount: Mapped[int] = mapped_column(Integer, default=0)
    gross_amount: Mapped[int] = mapped_column(Integer, default=0)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class InvoiceCounter(db.Model):
    """The last number issued per series and year; incremented under a row lock at
    finalisation, in the finalising transaction, so a rollback burns no number."""

    __tablename__ = "invoice_counters"

    series_key: Mapped[str] = mapped_column(String(20), primary_key=True)  # e.g. INV-2026
    last_number: Mapped[int] = mapped_column(Integer, default=0)
