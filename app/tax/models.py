import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Numeric, String
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
