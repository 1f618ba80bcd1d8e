"""Finance filters over invoices, shared by the back-office list and the exports."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, or_, select

from app.core.errors import InvalidInput
from app.core.types import as_uuid
from app.invoices import rules
from app.invoices.models import Invoice
from app.users.models import User

FILTERS = ("status", "series", "date_from", "date_to", "customer", "overdue", "min_total",
           "max_total", "currency")


def filtered(filters: dict | None = None, *, today: date | None = None) -> Select:
    """Issued documents matching the filters, oldest number first."""
    f = filters or {}
    unknown = set(f) - set(FILTERS)
    if unknown:
        raise InvalidInput("Unknown filters.", errors={k: ["Unknown filter."] for k in unknown})
    stmt = select(Invoice)
    if f.get("status"):
        if f["status"] not in rules.TRANSITIONS:
            raise InvalidInput("Unknown status.", errors={"status": ["Unknown."]})
        stmt = stmt.where(Invoice.status == f["status"])
    if f.get("series"):
        stmt = stmt.where(Invoice.series == f["series"])
    if f.get("currency"):
        stmt = stmt.where(Invoice.currency == f["currency"])
    if f.get("date_from"):
        stmt = stmt.where(Invoice.issue_date >= f["date_from"])
    if f.get("date_to"):
        stmt = stmt.where(Invoice.issue_date <= f["date_to"])
    if f.get("customer"):
        stmt = stmt.where(_customer(f["customer"]))
    if f.get("overdue"):
        stmt = stmt.where(Invoice.status.in_(rules.OPEN_STATUSES),
                          Invoice.due_date < (today or date.today()))
    if f.get("min_total") is not None:
        stmt = stmt.where(Invoice.total_amount >= int(f["min_total"]))
    if f.get("max_total") is not None:
        stmt = stmt.where(Invoice.total_amount <= int(f["max_total"]))
    return stmt.order_by(Invoice.series, Invoice.number, Invoice.created_at)


def _customer(value):
    """A customer id; an email (the account's, or the buyer snapshot's); else part of the
    buyer's name (case-insensitive)."""
    ident = as_uuid(value)
    if ident is not None:
        return Invoice.customer_id == ident
    text = str(value).strip().lower()
    if "@" in text:
        return or_(Invoice.customer_id.in_(select(User.id).where(User.email == text)),
                   func.lower(Invoice.buyer["email"].as_string()) == text)
    return func.lower(Invoice.buyer["name"].as_string()).contains(text, autoescape=True)
