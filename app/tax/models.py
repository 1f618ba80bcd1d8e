import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class TaxRate(db.Model):
    """A rate for (country, region, tax category), effective from one date until another."""

    __tablename__ = "tax_rates"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    country: Mapped[str] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(10), nullable=True)
    tax_category: Mapped[str] = mapped_column(String(32))
    # A fraction: 0.19 is 19 %, 0.08875 is 8.875 %. Decimal, never float.
    rate: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    name: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __str__(self) -> str:
        return f"{self.name} ({self.rate * 100:.2f} %)"


class VatCheck(db.Model):
    """One VIES check of a VAT id, as VIES answered it on that date. Rows are only ever
    added: the history shows what was known when an invoice was priced."""

    __tablename__ = "vat_checks"
    __table_args__ = (Index("ix_vat_checks_tax_id_checked_at", "tax_id", "checked_at"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    tax_id: Mapped[str] = mapped_column(String(20))  # normalised, with its prefix: FR123...
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 (GR for EL ids)
    # True only when VIES said so; False for "invalid" and for every failed check.
    valid: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Set when VIES gave no answer (MS_UNAVAILABLE, timeout, HTTP error): not verified.
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def conclusive(self) -> bool:
        """VIES answered valid or invalid (as opposed to not answering)."""
        return self.error is None
