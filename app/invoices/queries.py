"""Finance filters over invoices, shared by the back-office list and the exports."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, false, func, or_, select, true

from app.core.errors import InvalidInput
from app.core.types import as_uuid
from app.invoices import rules
from app.invoices.models import Invoice
from app.users.models import User

FILTERS = ("status", "series", "date_from", "date_to", "customer", "overdue", "min_total",
           "max_total", "currency", "search")


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
    if f.get("search"):
        stmt = stmt.where(search_condition(f["search"]))
    return stmt.order_by(Invoice.series, Invoice.number, Invoice.created_at)


def search_condition(text: str):
    """The list's search box: every word must match the number ("INV-2026-0004",
    "0004"), the document's or its order's id, or the customer's email or name. The same
    rule for the list and its exports."""
    from app import search
    from app.core.like import ESCAPE, contains
    from app.core.text import is_clean

    conds = []
    for word in str(text).split():
        if not is_clean(word):  # a control character is in no stored value
            return false()
        q = search.parse(word)
        either = [Invoice.number.ilike(contains(word), escape=ESCAPE)]
        if q.ident is not None:
            either += [Invoice.id == q.ident, Invoice.order_id == q.ident]
        if q.wordy and q.number is None:
            either.append(Invoice.customer_id.in_(search._matching_customers(q)))
        conds.append(or_(*either))
    return and_(*conds) if conds else true()


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
