import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (JSON, BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer,
                        Numeric, String, Text, UniqueConstraint, event, inspect)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.errors import Conflict

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db

STATUSES = ("draft", "finalised", "sent", "paid", "credited", "cancelled")
# What an issued document says: fixed at finalisation (the model refuses a change, and
# on PostgreSQL a trigger from migration 0009 refuses it too). Its state, its payment and
# credit sums, its PDF and reminders still move.
FIXED_COLUMNS = ("kind", "series", "number", "customer_id", "order_id", "credit_note_for_id",
                 "currency", "tax_inclusive", "reverse_charge", "buyer", "seller", "notes",
                 "subtotal_amount", "tax_amount", "total_amount", "issue_date", "due_date",
                 "tax_date", "finalised_at")


class Invoice(db.Model):
    """An invoice or a credit note (kind). Immutable once finalised: corrections are
    credit notes referencing the original."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("series", "number"),
        Index("ix_invoices_created_at_id", "created_at", "id"),
        Index("ix_invoices_customer_created", "customer_id", "created_at", "id"),
        CheckConstraint("(number IS NULL) = (finalised_at IS NULL)", name="numbered_once_finalised"),
        CheckConstraint("amount_credited >= 0 AND amount_paid >= 0", name="sums_not_negative"),
        CheckConstraint("kind <> 'invoice' OR amount_credited <= total_amount",
                        name="credited_within_total"),
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
    subtotal_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    total_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Stripe's amount_paid / credit notes amount; amount_due is derived (see rules).
    amount_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_credited: Mapped[int] = mapped_column(BigInteger, default=0)
    payment_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    issue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The supply date whose rates apply (an order's date, else the issue date).
    tax_date: Mapped[date | None] = mapped_column(Date, nullable=True)
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
    # The order's human number is printed on the invoice (customers quote it).
    order: Mapped["Order | None"] = relationship("Order", viewonly=True)
    # A credit note names the invoice it corrects (number and date) on its PDF and email.
    credit_note_for: Mapped["Invoice | None"] = relationship(
        remote_side="Invoice.id", foreign_keys="Invoice.credit_note_for_id", viewonly=True)

    def __str__(self) -> str:
        return self.number or f"Draft {str(self.id)[:8]}"

    @property
    def amount_due(self) -> int:
        """What the buyer still owes: nothing once paid, credited or void; never negative."""
        if self.kind != "invoice" or self.status not in ("finalised", "sent"):
            return 0
        return max(0, self.total_amount - self.amount_paid - self.amount_credited)

    @property
    def settled_by_payment(self) -> bool:
        """Paid: the document says so (date, reference) and asks for nothing."""
        return self.kind == "invoice" and self.status == "paid"


class InvoiceLine(db.Model):
    __tablename__ = "invoice_lines"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(64), nullable=True)
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_amount: Mapped[int] = mapped_column(BigInteger)
    tax_category: Mapped[str] = mapped_column(String(32))
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(9, 6), default=Decimal("0"))
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    gross_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # On a credit note: the line of the original invoice this line credits.
    credits_line_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("invoice_lines.id"), nullable=True, index=True)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class InvoiceCounter(db.Model):
    """The last number issued per series and year; incremented under a row lock at
    finalisation, in the finalising transaction, so a rollback burns no number."""

    __tablename__ = "invoice_counters"

    series_key: Mapped[str] = mapped_column(String(20), primary_key=True)  # e.g. INV-2026
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ImmutableInvoice(Conflict):
    """An issued invoice's content or lines were about to change (a 409 if it escapes)."""

    def __init__(self, number: str):
        super().__init__(f"Invoice {number} is issued and cannot change; corrections are "
                         "credit notes.", errors={"status": ["issued"]})


def _issued_number(invoice) -> str | None:
    """The number as committed: a draft being finalised in this flush is not issued yet."""
    state = inspect(invoice)
    if state.pending or state.transient:
        return None
    number = state.committed_state.get("number", invoice.number)
    # NO_VALUE: set without being loaded first; the database trigger still guards that.
    return number if isinstance(number, str) else None


@event.listens_for(Invoice, "before_update")
def _refuse_issued_changes(_mapper, _connection, invoice):
    number = _issued_number(invoice)
    if number is None:
        return
    state = inspect(invoice)
    if any(state.attrs[name].history.has_changes() for name in FIXED_COLUMNS):
        raise ImmutableInvoice(number)


@event.listens_for(Invoice, "before_delete")
def _refuse_issued_delete(_mapper, _connection, invoice):
    number = _issued_number(invoice)
    if number is not None:
        raise ImmutableInvoice(number)


@event.listens_for(InvoiceLine, "before_insert")
@event.listens_for(InvoiceLine, "before_update")
@event.listens_for(InvoiceLine, "before_delete")
def _refuse_issued_line_changes(_mapper, _connection, line):
    invoice = line.invoice
    number = _issued_number(invoice) if invoice is not None else None
    if number is not None:
        raise ImmutableInvoice(number)
