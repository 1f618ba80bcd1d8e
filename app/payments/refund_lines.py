"""Refunding returned items: a refund of some lines and quantities of the invoice the
payment paid, rather than an amount.

Its amount is what those units have left to credit (app.invoices.credits, the rule credit
notes use), and its credit note credits those lines, so the returned book is credited on
the book's line instead of a share of every line. While the refund is pending its units
are reserved: a second refund of the same units is refused, as it would be once credited.
The plan (units, net and tax per line) is kept on the refund; its credit note is issued
from those lines when it succeeds and must come to exactly its amount.
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import or_, select

from app.core.errors import Conflict
from app.core.types import as_uuid
from app.extensions import db
from app.invoices import credits
from app.invoices.models import Invoice
from app.payments import payouts
from app.payments.models import Payment, Refund


def plan(payment: Payment, lines) -> tuple[int, list[dict]]:
    """(amount, parts) for a refund of ``lines`` ([{line_id, quantity}]) of the invoice
    ``payment`` paid; refused (the credit notes' errors, under ``lines``) otherwise."""
    invoice_id = payouts.invoice_taken(payment)
    if invoice_id is None:
        raise Conflict("This payment paid no invoice: refund an amount instead.",
                       errors={"lines": ["No invoice lines to refund."]})
    invoice = db.session.get(Invoice, invoice_id)
    taken = credits.credited_by_line(invoice.id)
    for line_id, held in reserved(invoice).items():
        done = taken.get(line_id, credits.Taken())
        taken[line_id] = replace(done, quantity=done.quantity + held.quantity,
                                 net=done.net + held.net, tax=done.tax + held.tax)
    parts = credits.plan(invoice, taken, lines=[
        {"line_id": item.get("line_id"), "quantity": item.get("quantity")}
        if isinstance(item, dict) else item for item in (lines or [])])
    return sum(p.net + p.tax for p in parts), [
        {"line_id": str(p.line.id), "quantity": p.quantity, "net": p.net, "tax": p.tax}
        for p in parts]


def reserved(invoice: Invoice) -> dict:
    """{line id: Taken} held by pending refunds of ``invoice``'s lines."""
    took = Payment.invoice_id == invoice.id
    if invoice.order_id is not None:
        took = or_(took, Payment.order_id == invoice.order_id)
    out: dict = {}
    for parts in db.session.scalars(
            select(Refund.lines).join(Payment, Refund.payment_id == Payment.id)
            .where(took, Refund.status == "pending", Refund.lines.is_not(None))):
        for part in parts or []:
            line_id = as_uuid(part["line_id"])
            done = out.get(line_id, credits.Taken())
            out[line_id] = credits.Taken(done.quantity + part["quantity"],
                                         done.net + part["net"], done.tax + part["tax"])
    return out


def as_requested(parts: list[dict] | None) -> list[dict] | None:
    """The lines as a caller names them ([{line_id, quantity}]), from a stored plan."""
    if not parts:
        return None
    return [{"line_id": p["line_id"], "quantity": p["quantity"]} for p in parts]


def returnable(payment: Payment) -> list[tuple]:
    """[(invoice line, units left)] that a refund of ``payment`` could take back now: not
    credited, not being refunded. For the back office's form; ``plan`` decides."""
    invoice_id = payouts.invoice_taken(payment)
    if invoice_id is None:
        return []
    invoice = db.session.get(Invoice, invoice_id)
    taken, held = credits.credited_by_line(invoice.id), reserved(invoice)
    out = []
    for line in invoice.lines:
        gone = taken.get(line.id, credits.Taken()).quantity + \
            held.get(line.id, credits.Taken()).quantity
        if line.quantity - gone > 0:
            out.append((line, line.quantity - gone))
    return out


def line_names(payment: Payment) -> dict[str, str]:
    """{line id: description} of the invoice ``payment`` paid, to name returned items."""
    invoice_id = payouts.invoice_taken(payment)
    if invoice_id is None:
        return {}
    return {str(line.id): line.description for line in db.session.get(Invoice, invoice_id).lines}
