"""Payments, their refunds, and the gateway's events as received."""
import uuid
from datetime import date, datetime

from sqlalchemy import (JSON, BigInteger, CheckConstraint, Date, ForeignKey, Index, String, text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.payments.rules import OPEN
from app.extensions import db

METHODS = ("card", "paypal", "bank_transfer", "wallet")
STATUSES = ("pending", "requires_action", "succeeded", "failed", "cancelled", "refunded")
REFUND_STATUSES = ("pending", "succeeded", "failed")


def _one_of(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


OPEN_SQL = "status IN (" + ", ".join(f"'{s}'" for s in OPEN) + ")"


class Payment(db.Model):
    """One attempt to collect the open balance of an order, or of an invoice that has no
    order (a manual invoice), through a gateway. Money refunded
    is ``amount_refunded``; money a refund in flight has reserved is
    ``amount_refund_pending``: together never more than ``amount`` (the database says so)."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("amount_refunded >= 0 AND amount_refund_pending >= 0",
                        name="refunds_not_negative"),
        CheckConstraint("amount_refunded + amount_refund_pending <= amount",
                        name="refunds_within_amount"),
        CheckConstraint(_one_of("method", METHODS), name="method_known"),
        CheckConstraint(_one_of("status", STATUSES), name="status_known"),
        CheckConstraint("order_id IS NOT NULL OR invoice_id IS NOT NULL", name="pays_something"),
        # Keyset pages newest first, overall and per customer.
        Index("ix_payments_created_at_id", "created_at", "id"),
        Index("ix_payments_customer_created", "customer_id", "created_at", "id"),
        # One payment in flight per order: a second one could be confirmed too and charge
        # the customer twice (app.payments.service.open_card checks first, under a lock).
        Index("uq_payments_one_open_per_order", "order_id", unique=True,
              postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
        # The same for an invoice paid without an order (an order's payment names its
        # invoice only once it succeeded).
        Index("uq_payments_one_open_per_invoice", "invoice_id", unique=True,
              postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    # None when it pays an invoice that has no order (then ``invoice_id`` is set from the start).
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"), index=True,
                                                       nullable=True)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"), nullable=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    method: Mapped[str] = mapped_column(String(20), default="card")
    gateway: Mapped[str] = mapped_column(String(20), default="stripe")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of ``currency``
    currency: Mapped[str] = mapped_column(String(3))
    amount_refunded: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_refund_pending: Mapped[int] = mapped_column(BigInteger, default=0)
    gateway_payment_id: Mapped[str | None] = mapped_column(String(255), nullable=True,
                                                           unique=True)
    # The saved method charged (app.payments.methods), if one was.
    payment_method_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("payment_methods.id"), nullable=True)
    # The card charged, as the gateway told (fraud rules, lists, failed payments by card).
    card_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    card_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # What the app needs to finish a 3-D Secure challenge (Stripe's next_action).
    next_action: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    failure_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    failure_message: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    refunds: Mapped[list["Refund"]] = relationship(order_by="Refund.created_at",
                                                   back_populates="payment")

    @property
    def refundable(self) -> int:
        return self.amount - self.amount_refunded - self.amount_refund_pending


# A held credit note is paid out by at most one refund that is not failed.
LIVE_PAYOUT_SQL = "status IN ('pending', 'succeeded') AND pays_out_credit_note_id IS NOT NULL"


class Refund(db.Model):
    """Money given back on a payment; a succeeded one has its credit note: the one it
    issued, or the held credit note it paid out (``pays_out_credit_note_id``)."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(_one_of("status", REFUND_STATUSES), name="status_known"),
        Index("uq_refunds_live_payout", "pays_out_credit_note_id", unique=True,
              postgresql_where=text(LIVE_PAYOUT_SQL), sqlite_where=text(LIVE_PAYOUT_SQL)),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(String(500), default="")
    gateway_refund_id: Mapped[str | None] = mapped_column(String(255), nullable=True,
                                                          unique=True)
    credit_note_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"),
                                                             nullable=True)
    # Set when opened: the credit note (issued apart from any refund, a credit the customer
    # held) whose money this refund gives back; it issues no credit note of its own.
    pays_out_credit_note_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("invoices.id"), nullable=True)
    # A refund of returned items: [{line_id, quantity, net, tax}] of the paid invoice's
    # lines (app.payments.refund_lines); its credit note credits those lines.
    lines: Mapped[list | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    failure_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    failure_message: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="refunds")


class GatewayEvent(db.Model):
    """A webhook event as the gateway sent it, stored once by its id, processed by a job."""

    __tablename__ = "gateway_events"
    __table_args__ = (UniqueConstraint("gateway", "gateway_event_id"),
                      # Retention (app.retention) deletes the oldest processed ones first.
                      Index("ix_gateway_events_processed_at", "processed_at"))

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    gateway: Mapped[str] = mapped_column(String(20))
    gateway_event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(200), nullable=True)


TRANSFER_STATUSES = ("applied", "held", "returned")
HOLD_REASONS = ("unknown_reference", "amount_mismatch", "currency_mismatch", "already_paid",
                "not_payable", "payment_in_progress")


class BankTransfer(db.Model):
    """Money received by bank transfer, as staff or a partner recorded it. Applied when it
    pays an open invoice or unpaid order exactly; otherwise held for finance with the
    reason, then applied to what finance names or returned to the payer. Never partial:
    the amount must equal the open balance (app.payments.transfers)."""

    __tablename__ = "bank_transfers"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(_one_of("status", TRANSFER_STATUSES), name="status_known"),
        CheckConstraint("status <> 'held' OR hold_reason IS NOT NULL", name="held_has_reason"),
        CheckConstraint("status <> 'applied' OR invoice_id IS NOT NULL OR order_id IS NOT NULL",
                        name="applied_has_target"),
        Index("ix_bank_transfers_created_at_id", "created_at", "id"),
        Index("ix_bank_transfers_status_created", "status", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of ``currency``
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(140))  # as the payer wrote it
    value_date: Mapped[date] = mapped_column(Date)
    payer_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    hold_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    hold_message: Mapped[str | None] = mapped_column(String(300), nullable=True)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"), nullable=True,
                                                         index=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"), nullable=True,
                                                       index=True)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"),
                                                         nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(255))
    resolved_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


REQUEST_STATUSES = ("requested", "approved", "rejected")


class RefundRequest(db.Model):
    """A staff or partner refund above REFUND_APPROVAL_THRESHOLD, waiting for a second
    staff member (maker-checker). The database also refuses a decision by the requester."""

    __tablename__ = "refund_requests"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(_one_of("status", REQUEST_STATUSES), name="status_known"),
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by",
                        name="not_decided_by_requester"),
        Index("ix_refund_requests_status_created", "status", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    requested_by: Mapped[str] = mapped_column(String(255))  # Actor.ref
    requested_by_label: Mapped[str] = mapped_column(String(255), default="")
    decided_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decided_by_label: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    refund_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("refunds.id"), nullable=True)
    pays_out_credit_note_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("invoices.id"), nullable=True)
    lines: Mapped[list | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
