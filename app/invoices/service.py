"""Invoices and credit notes: drafts, lines, tax, finalisation with gapless numbers,
sending, payment, voiding. One function per operation."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.catalog.models import Product
from app.core import keyset
from app.core.actor import Actor
from app.core.lookup import get_or_not_found
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.types import as_uuid, utcnow
from app.events.dispatch import commit
from app.events.service import publish
from app.extensions import db
from app.invoices import numbering, parties, rules
from app.invoices.models import Invoice, InvoiceLine
from app.orders.models import Order
from app.tax import calculate, service as tax
from app.users.models import User


def get(invoice_id) -> Invoice:
    return get_or_not_found(Invoice, invoice_id, "Invoice not found.")


def get_visible(invoice_id, actor: Actor) -> Invoice:
    """Customers see their own invoices; someone else's is 'not found' (not 'forbidden')."""
    invoice = get(invoice_id)
    if actor.kind == "user" and (invoice.customer_id != actor.id or invoice.status == "draft"):
        raise NotFound("Invoice not found.")
    return invoice


def _check_currency(currency: str) -> str:
    currency = (currency or "").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput("Invalid currency.", errors={"currency": ["ISO 4217 code."]})
    return currency


def create_draft(*, currency: str, buyer: dict | None = None, customer_id=None,
                 tax_inclusive: bool = False, notes: str = "", actor: Actor) -> Invoice:
    customer = None
    if customer_id is not None:
        customer = db.session.get(User, as_uuid(customer_id)) if as_uuid(customer_id) else None
        if customer is None:
            raise InvalidInput("Unknown customer.", errors={"customer_id": ["Not found."]})
    if buyer is None and customer is not None:
        raise InvalidInput("Buyer details are required.", errors={"buyer": ["Required."]})
    invoice = Invoice(id=uuid.uuid4(), kind="invoice", series=rules.SERIES["invoice"],
                      status="draft", customer_id=customer.id if customer else None,
                      currency=_check_currency(currency), tax_inclusive=bool(tax_inclusive),
                      buyer=parties.normalise_buyer(buyer), notes=(notes or "")[:2000])
    db.session.add(invoice)
    audit.record(actor, "invoice.create_draft", "invoice", invoice.id,
                 after={"currency": invoice.currency, "buyer": invoice.buyer["name"]})
    commit()
    return invoice


def create_from_order(order_id, *, actor: Actor) -> Invoice:
    """The invoice of an order (one per order), at the order's prices, then finalised."""
    order = db.session.get(Order, as_uuid(order_id))
    if order is None:
        raise NotFound("Order not found.")
    existing = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).first()
    if existing is not None:
        return existing
    customer = db.session.get(User, order.customer_id)
    buyer = {"name": order.billing_address.get("name") or customer.full_name or customer.email,
             "email": customer.email, "address": dict(order.billing_address)}
    invoice = Invoice(id=uuid.uuid4(), kind="invoice", series=rules.SERIES["invoice"],
                      status="draft", customer_id=customer.id, order_id=order.id,
                      currency=order.currency, tax_inclusive=False,
                      buyer=parties.normalise_buyer(buyer))
    for position, line in enumerate(order.lines):
        invoice.lines.append(InvoiceLine(
            position=position, description=line.name, sku=line.sku, product_id=line.product_id,
            quantity=line.quantity, unit_amount=line.unit_price_amount,
            tax_category=line.tax_category))
    db.session.add(invoice)
    audit.record(actor, "invoice.create_from_order", "invoice", invoice.id,
                 after={"order_id": order.id})
    db.session.flush()
    _finalise(invoice, actor)
    commit()
    return invoice


def add_line(invoice_id, *, description: str, quantity: int, unit_amount: int | None = None,
             tax_category: str | None = None, product_id=None, actor: Actor) -> InvoiceLine:
    invoice = get(invoice_id)
    rules.require_draft(invoice.status)
    errors = {}
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= rules.MAX_QUANTITY:
        errors["quantity"] = [f"A whole number from 1 to {rules.MAX_QUANTITY}."]
    product = None
    if product_id is not None:
        product = db.session.get(Product, as_uuid(product_id)) if as_uuid(product_id) else None
        if product is None:
            errors["product_id"] = ["Unknown product."]
        elif product.currency != invoice.currency:
            raise InvalidInput("One invoice, one currency.",
                               errors={"product_id": [f"Priced in {product.currency}, the invoice "
                                                      f"is in {invoice.currency}."]})
    if unit_amount is None and product is not None:
        unit_amount = product.price_amount
    if not isinstance(unit_amount, int) or isinstance(unit_amount, bool) \
            or not 0 <= unit_amount <= rules.MAX_UNIT_AMOUNT:
        errors["unit_amount"] = ["A whole number of minor units, 0 or more."]
    tax_category = tax_category or (product.tax_category if product else "standard")
    if tax_category not in tax.CATEGORIES:
        errors["tax_category"] = [f"One of {', '.join(tax.CATEGORIES)}."]
    description = (description or (product.name if product else "")).strip()
    if not description:
        errors["description"] = ["Required."]
    if errors:
        raise InvalidInput("The line is not valid.", errors=errors)
    if len(invoice.lines) >= rules.MAX_LINES:
        raise InvalidInput("Too many lines.", errors={"lines": [f"At most {rules.MAX_LINES}."]})
    line = InvoiceLine(position=(max((l.position for l in invoice.lines), default=-1) + 1),
                       description=description[:300], sku=product.sku if product else None,
                       product_id=product.id if product else None, quantity=quantity,
                       unit_amount=unit_amount, tax_category=tax_category)
    invoice.lines.append(line)
    _price(invoice, date.today())
    audit.record(actor, "invoice.add_line", "invoice", invoice.id,
                 after={"description": line.description, "quantity": quantity,
                        "unit_amount": unit_amount, "tax_category": tax_category})
    commit()
    return line


def remove_line(invoice_id, line_id, *, actor: Actor) -> Invoice:
    invoice = get(invoice_id)
    rules.require_draft(invoice.status)
    line = next((l for l in invoice.lines if l.id == as_uuid(line_id)), None)
    if line is None:
        raise NotFound("Line not found.")
    invoice.lines.remove(line)
    _price(invoice, date.today())
    audit.record(actor, "invoice.remove_line", "invoice", invoice.id,
                 before={"description": line.description, "quantity": line.quantity})
    commit()
    return invoice


def calculate_tax(invoice_id) -> Invoice:
    """Recompute the draft's rates and amounts as of today (finalisation does it again
    as of the issue date)."""
    invoice = get(invoice_id)
    rules.require_draft(invoice.status)
    _price(invoice, date.today())
    commit()
    return invoice


def _price(invoice: Invoice, on: date) -> None:
    seller_country = parties.seller()["country"]
    invoice.reverse_charge = tax.reverse_charge_applies(seller_country, invoice.buyer)
    address = invoice.buyer.get("address") or {}
    country, region = address.get("country", seller_country), address.get("region")
    rates = {}
    for line in invoice.lines:
        key = line.tax_category
        if key not in rates:
            rates[key] = Decimal("0") if invoice.reverse_charge else \
                tax.rate_for(country, region, key, on)
        line.tax_rate = rates[key]
    sign = -1 if invoice.kind == "credit_note" else 1
    totals = calculate.compute(
        [calculate.LineIn(l.quantity, sign * l.unit_amount, l.tax_rate) for l in invoice.lines],
        inclusive=invoice.tax_inclusive)
    for line, out in zip(invoice.lines, totals.lines):
        line.net_amount, line.tax_amount, line.gross_amount = out.net, out.tax, out.gross
    invoice.subtotal_amount, invoice.tax_amount, invoice.total_amount = \
        totals.subtotal, totals.tax, totals.total


def _finalise(invoice: Invoice, actor: Actor, *, reprice: bool = True) -> None:
    rules.check_transition(invoice.status, "finalised")
    if not invoice.lines:
        raise Conflict("An empty invoice cannot be finalised.", errors={"lines": ["None."]})
    today = date.today()
    if invoice.customer_id is not None:
        customer = db.session.get(User, invoice.customer_id)
        # The buyer as of now, frozen: later profile edits never change an issued invoice.
        invoice.buyer = {**invoice.buyer, "email": customer.email}
    invoice.seller = parties.seller()
    if reprice:
        _price(invoice, today)
    invoice.number = numbering.next_number(invoice.series, today.year)
    invoice.status = "finalised"
    invoice.issue_date = today
    invoice.due_date = today + timedelta(days=current_app.config.get("INVOICE_DUE_DAYS", 14))
    invoice.finalised_at = utcnow()
    invoice.pdf_status = "pending"
    audit.record(actor, "invoice.finalise", "invoice", invoice.id,
                 before={"status": "draft"},
                 after={"status": "finalised", "number": invoice.number,
                        "total_amount": invoice.total_amount, "currency": invoice.currency})
    publish("invoice.finalised", {"invoice_id": str(invoice.id), "number": invoice.number})


def finalise(invoice_id, *, actor: Actor) -> Invoice:
    invoice = _locked(invoice_id)
    _finalise(invoice, actor)
    commit()
    return invoice


def _locked(invoice_id) -> Invoice:
    """Load with a row lock (PostgreSQL), so concurrent actions on one invoice serialise."""
    ident = as_uuid(invoice_id)
    invoice = db.session.scalars(
        select(Invoice).where(Invoice.id == ident).with_for_update()
    ).first() if ident else None
    if invoice is None:
        raise NotFound("Invoice not found.")
    return invoice


def _move(invoice_id, target: str, actor: Actor, **values) -> Invoice:
    invoice = _locked(invoice_id)
    current = invoice.status
    rules.check_transition(current, target)
    invoice.status = target
    for key, value in values.items():
        setattr(invoice, key, value)
    audit.record(actor, f"invoice.{target}", "invoice", invoice.id,
                 before={"status": current}, after={"status": target})
    publish(f"invoice.{target}", {"invoice_id": str(invoice.id), "number": invoice.number,
                                  "from": current})
    commit()
    return invoice


def send(invoice_id, *, actor: Actor) -> Invoice:
    """Email the invoice (PDF attached) to the buyer: the email job follows the commit."""
    invoice = get(invoice_id)
    if not (invoice.buyer or {}).get("email"):
        raise Conflict("The buyer has no email address.", errors={"buyer": ["No email."]})
    return _move(invoice_id, "sent", actor, sent_at=utcnow())


def mark_paid(invoice_id, *, actor: Actor) -> Invoice:
    return _move(invoice_id, "paid", actor, paid_at=utcnow())


def cancel(invoice_id, *, actor: Actor) -> Invoice:
    """Void: a numbered invoice keeps its number (the series stays gapless)."""
    return _move(invoice_id, "cancelled", actor, cancelled_at=utcnow())


def issue_credit_note(invoice_id, *, actor: Actor, reason: str = "") -> Invoice:
    """A finalised negative invoice in its own series, referencing the original."""
    original = get(invoice_id)
    if not rules.can_be_credited(original):
        raise Conflict("Only an issued invoice can be credited.")
    if db.session.scalars(select(Invoice.id).where(Invoice.credit_note_for_id == original.id,
                                                   Invoice.status != "cancelled")).first():
        raise Conflict("This invoice already has a credit note.")
    note = Invoice(id=uuid.uuid4(), kind="credit_note", series=rules.SERIES["credit_note"],
                   status="draft", customer_id=original.customer_id,
                   credit_note_for_id=original.id, currency=original.currency,
                   tax_inclusive=original.tax_inclusive, buyer=dict(original.buyer),
                   notes=(reason or f"Credit note for {original.number}")[:2000])
    for line in original.lines:
        note.lines.append(InvoiceLine(
            position=line.position, description=line.description, sku=line.sku,
            product_id=line.product_id, quantity=line.quantity, unit_amount=line.unit_amount,
            tax_category=line.tax_category))
    # Credit the original's exact amounts (its rates, not today's).
    for mine, theirs in zip(note.lines, original.lines):
        mine.tax_rate = theirs.tax_rate
        mine.net_amount, mine.tax_amount, mine.gross_amount = \
            -theirs.net_amount, -theirs.tax_amount, -theirs.gross_amount
    note.subtotal_amount, note.tax_amount, note.total_amount = \
        -original.subtotal_amount, -original.tax_amount, -original.total_amount
    note.reverse_charge = original.reverse_charge
    db.session.add(note)
    db.session.flush()
    _finalise(note, actor, reprice=False)
    commit()
    return note


def list_invoices(*, customer_id=None, status: str | None = None, series: str | None = None,
                  cursor: str | None = None, limit: int = 50) -> tuple[list[Invoice], str | None]:
    stmt = select(Invoice).options(selectinload(Invoice.lines))
    if customer_id is not None:
        stmt = stmt.where(Invoice.customer_id == as_uuid(customer_id), Invoice.status != "draft")
    if status:
        if status not in rules.TRANSITIONS:
            raise InvalidInput("Unknown status.", errors={"status": [f"One of {', '.join(rules.TRANSITIONS)}."]})
        stmt = stmt.where(Invoice.status == status)
    if series:
        stmt = stmt.where(Invoice.series == series)
    return keyset.page(stmt, Invoice, cursor=cursor, limit=limit)


def overdue(today: date | None = None, *, remind_every_days: int = 7) -> list[uuid.UUID]:
    today = today or date.today()
    cutoff = utcnow() - timedelta(days=remind_every_days)
    return list(db.session.scalars(select(Invoice.id).where(
        Invoice.status == "sent", Invoice.due_date < today,
        (Invoice.last_reminder_at.is_(None)) | (Invoice.last_reminder_at < cutoff))))


def request_reminders(today: date | None = None) -> int:
    """Scheduled: one reminder event per overdue invoice (the email job follows)."""
    ids = overdue(today)
    if ids:
        db.session.execute(update(Invoice).where(Invoice.id.in_(ids))
                           .values(last_reminder_at=utcnow()))
        for ident in ids:
            publish("invoice.reminder_due", {"invoice_id": str(ident)})
        commit()
    return len(ids)
