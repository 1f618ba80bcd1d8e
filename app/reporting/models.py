"""The daily rollup: one row per seller's business day and currency (and tax rate)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Refund


class DailySales(db.Model):
    """A closed day's figures; written once (see rollup.py), read by the dashboard."""

    __tablename__ = "daily_sales"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    orders_placed: Mapped[int] = mapped_column(Integer, default=0)
    orders_paid: Mapped[int] = mapped_column(Integer, default=0)
    # Of the orders paid that day: net (before tax) and tax, minor units.
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Credit notes issued that day that refunded nothing (app/reporting/credits.py).
    credited_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    payments_succeeded: Mapped[int] = mapped_column(Integer, default=0)
    payments_failed: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DailySalesByRate(db.Model):
    """Net and tax of the lines of orders paid that day, per tax rate."""

    __tablename__ = "daily_sales_by_rate"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(9, 6), primary_key=True)
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)


# The marker row a closed day gets even when nothing happened on it, so an empty day is
# not recomputed on every dashboard load.
NO_CURRENCY = "---"

# Refunds by day (the rollup's and the dashboard's range scans). Declared here, with the
# figures that need it, rather than in the payments package.
Index("ix_refunds_created_at", Refund.created_at)
# Credit notes by the day they were issued (credited_amount).
Index("ix_invoices_kind_finalised_at", Invoice.kind, Invoice.finalised_at)
