"""Saved payment methods of returning customers, and who each customer is at a gateway.

Only what can be shown is kept: the brand, the last four digits and the expiry, plus
what fraud rules read (the issuing country and Stripe's fingerprint, the same for every
copy of one card number). The card number never reaches us (Stripe.js sends it to
Stripe; we hold Stripe's ``pm_`` id).
"""
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class GatewayCustomer(db.Model):
    """A user as a gateway knows them (Stripe: a Customer ``cus_...``), created the first
    time they save a method; one per user and gateway."""

    __tablename__ = "gateway_customers"
    __table_args__ = (UniqueConstraint("user_id", "gateway"),
                      UniqueConstraint("gateway", "gateway_customer_id"))

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    gateway: Mapped[str] = mapped_column(String(20))
    gateway_customer_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PaymentMethod(db.Model):
    """A card saved at the gateway for its user. Removing it detaches it at the gateway
    and keeps the row (``detached_at``): payments made with it still name it."""

    __tablename__ = "payment_methods"
    __table_args__ = (
        UniqueConstraint("gateway", "gateway_payment_method_id"),
        CheckConstraint("exp_month BETWEEN 1 AND 12", name="exp_month_valid"),
        CheckConstraint("length(last4) = 4", name="last4_four_digits"),
        # The customer's saved methods, newest first (keyset pages).
        Index("ix_payment_methods_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    gateway: Mapped[str] = mapped_column(String(20), default="stripe")
    gateway_payment_method_id: Mapped[str] = mapped_column(String(255))
    brand: Mapped[str] = mapped_column(String(30))
    last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int] = mapped_column(Integer)
    exp_year: Mapped[int] = mapped_column(Integer)
    # As Stripe tells them (None for a card saved before they were kept: read at the charge).
    card_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    card_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    detached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def masked(self) -> str:
        """How people see it: ``Visa •••• 4242, 12/2030``."""
        return (f"{self.brand.replace('_', ' ').title()} \u2022\u2022\u2022\u2022 {self.last4}, "
                f"{self.exp_month:02d}/{self.exp_year}")
