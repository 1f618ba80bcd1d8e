import uuid
from datetime import date, datetime

from decimal import Decimal

from sqlalchemy import (JSON, BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer,
                        Numeric, String, event, inspect)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db
from app.orders import numbering

STATUSES = ("pending_payment", "paid", "fulfilled", "cancelled", "refunded")
# What an order is, fixed when it is placed (its lines too); only its state moves after.
FIXED_COLUMNS = ("id", "number", "customer_id", "currency", "tax_inclusive", "subtotal_amount",
                 "tax_amount", "total_amount", "tax_breakdown", "tax_date", "country", "shipping_address",
                 "billing_address")


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        # Keyset pagination walks (created_at, id) newest first, overall and per customer.
        Index("ix_orders_created_at_id", "created_at", "id"),
        Index("ix_orders_customer_created", "customer_id", "created_at", "id"),
        Index("ix_orders_status_created", "status", "created_at", "id"),
        # Revenue by the day an order was paid (app/reporting): covering, so a day's sums
        # read the index alone.
        Index("ix_orders_paid_at", "paid_at", "currency", "subtotal_amount", "tax_amount"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    # What people say and search for ("Your order #1042"); the id stays the key.
    number: Mapped[int] = mapped_column(BigInteger, unique=True, default=numbering.next_number)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending_payment")
    currency: Mapped[str] = mapped_column(String(3))
    # Prices as the catalogue shows them include tax, or not (per currency, config).
    tax_inclusive: Mapped[bool] = mapped_column(default=False)
    subtotal_amount: Mapped[int] = mapped_column(BigInteger)  # sum of line nets
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    total_amount: Mapped[int] = mapped_column(BigInteger)  # what the customer is charged
    # [{treatment, rate, net_amount, tax_amount}] as computed at placement.
    tax_breakdown: Mapped[list | None] = mapped_column(JSON, nullable=True, default=list)
    # The supply date in the seller's time zone: the rates in force that day apply.
    tax_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    country: Mapped[str] = mapped_column(String(2))
    shipping_address: Mapped[dict] = mapped_column(JSON)
    billing_address: Mapped[dict] = mapped_column(JSON)
    # Cancelling returns stock exactly once: this flips in the same guarded update.
    restocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    payment_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", order_by="OrderLine.position", cascade="all, delete-orphan")
    history: Mapped[list["OrderHistory"]] = relationship(
        order_by="OrderHistory.at", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"Order {numbering.label(self.number)}"


class OrderLine(db.Model):
    """Name and price are copied from the catalogue at order time."""

    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    tax_category: Mapped[str] = mapped_column(String(32))
    unit_price_amount: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total_amount: Mapped[int] = mapped_column(BigInteger)  # quantity x unit price
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(9, 6), default=Decimal("0"))
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    gross_amount: Mapped[int] = mapped_column(BigInteger, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderHistory(db.Model):
    """Every status change of an order: who, when, from what to what."""

    __tablename__ = "order_history"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImmutableOrder(Exception):
    """A placed order's fixed parts or lines were about to change."""


@event.listens_for(Order, "before_update")
def _refuse_fixed_changes(_mapper, _connection, order):
    # Corrections are new documents (credit notes), never edits; list pages rely on it.
    state = inspect(order)
    changed = [name for name in FIXED_COLUMNS if state.attrs[name].history.has_changes()]
    if changed:
        raise ImmutableOrder(f"A placed order cannot change: {', '.join(changed)}.")


@event.listens_for(OrderLine, "before_update")
@event.listens_for(OrderLine, "before_delete")
def _refuse_line_changes(_mapper, _connection, _line):
    raise ImmutableOrder("The lines of a placed order cannot change.")
