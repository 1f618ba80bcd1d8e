"""Invoices and credit notes: drafts, lines, tax, finalisation with gapless numbers,
sending, payment, voiding. One function per operation."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.catalog.models import Product
from app.core import keyset, money, transitions
from app.core.actor import Actor
from app.core.clock import business_date
from app.core.lookup import get_or_not_found
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.invoices import credits, numbering, parties, rules
from app.invoices.models import Invoice, InvoiceLine
from app.orders.models import Order
from app.tax import pricing, service as tax
from app.users.models import User


def get(invoice_id) -> Invoice:
    return get_or_not_found(Invoice, invoice_id, "Invoice not found.")


def get_visible(invoice_id, actor: Actor) -> Invoice:
    """Customers see their own invoices; someone else's is 'not found' (not 'forbidden')."""
    invoice = get(invoice_id)
    if actor.customer_scope is not None and (invoice.customer_id != actor.customer_scope
                                             or invoice.status == "draft"):
        raise NotFound("Invoice not found.")
    return invoice


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
                      currency=money.check_currency(currency), tax_inclusive=bool(tax_inclusive),
                      buyer=parties.normalise_buyer(buyer), notes=(notes or "")[:2000])
    db.session.add(invoice)
    audit.record(actor, "invoice.create_draft", "invoice", invoice.id,
                 after={"currency": invoice.currency, "buyer": invoice.buyer["name"]})
    db.session.flush()
    return invoice


def create_from_order(order_id, *, actor: Actor) -> Invoice:
    """The invoice of a paid order (one per order): the order's lines, rates, tax and
    total to the minor unit (never priced again), issued as paid with the payment's
    reference and date."""
    order = db.session.scalars(select(Order).where(Order.id == as_uuid(order_id))
                               .with_for_update()).first() if as_uuid(order_id) else None
    if order is None:
        raise NotFound("Order not found.")
    existing = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).first()
    if existing is not None:
        return existing
    if order.paid_at is None:
        raise Conflict("Only a paid order is invoiced.", errors={"status": [order.status]})
    customer = db.session.get(User, order.customer_id)
    buyer = {"name": order.billing_address.get("name") or customer.full_name or customer.email,
             "email": customer.email, "address": dict(order.billing_address)}
    invoice = Invoice(id=uuid.uuid4(), kind="invoice", series=rules.SERIES["invoice"],
                      status="draft", customer_id=customer.id, order_id=order.id,
                      currency=order.currency, tax_inclusive=order.tax_inclusive,
                      buyer=parties.normalise_buyer(buyer), tax_date=order.tax_date,
                      subtotal_amount=order.subtotal_amount, tax_amount=order.tax_amount,
                      total_amount=order.total_amount)
    for line in order.lines:
        invoice.lines.append(InvoiceLine(
            position=line.position, description=line.name, sku=line.sku,
            product_id=line.product_id, quantity=line.quantity,
            unit_amount=line.unit_price_amount, tax_category=line.tax_category,
            tax_rate=line.tax_rate, net_amount=line.net_amount, tax_amount=line.tax_amount,
            gross_amount=line.gross_amount))
    db.session.add(invoice)
    audit.record(actor, "invoice.create_from_order", "invoice", invoice.id,
                 after={"order_id": order.id})
    db.session.flush()
    _finalise(invoice, actor, reprice=False)
    db.session.flush()
    _record_payment(invoice, actor, amount=invoice.total_amount, paid_at=order.paid_at,
                    reference=order.payment_reference or f"order {order.id}")
    db.session.flush()
    return invoice


def add_line(invoice_id, *, description: str, quantity: int, unit_amount: int | None = None,
             tax_category: str | None = None, product_id=None, actor: Actor) -> InvoiceLine:
    invoice = _locked(invoice_id)
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
    _price(invoice, business_date())
    audit.record(actor, "invoice.add_line", "invoice", invoice.id,
                 after={"description": line.description, "quantity": quantity,
                        "unit_amount": unit_amount, "tax_category": tax_category})
    db.session.flush()
    return line


def remove_line(invoice_id, line_id, *, actor: Actor) -> Invoice:
    invoice = _locked(invoice_id)
    rules.require_draft(invoice.status)
    line = next((l for l in invoice.lines if l.id == as_uuid(line_id)), None)
    if line is None:
        raise NotFound("Line not found.")
    invoice.lines.remove(line)
    _price(invoice, business_date())
    audit.record(actor, "invoice.remove_line", "invoice", invoice.id,
                 before={"description": line.description, "quantity": line.quantity})
    db.session.flush()
    return invoice


def calculate_tax(invoice_id) -> Invoice:
    """Recompute the draft's rates and amounts as of today (finalisation does it again
    as of the issue date)."""
    invoice = _locked(invoice_id)
    rules.require_draft(invoice.status)
    _price(invoice, business_date())
    db.session.flush()
    return invoice


def _price(invoice: Invoice, on: date) -> str:
    """Prices the draft as of ``on``; returns why reverse charge does or does not apply."""
    seller_country = parties.seller()["country"]
    decision = tax.reverse_charge_decision(seller_country, invoice.buyer)
    invoice.reverse_charge = decision.applies
    address = invoice.buyer.get("address") or {}
    items = [pricing.Item(l.quantity, l.unit_amount, l.tax_category) for l in invoice.lines]
    rates = pricing.rates_for([i.tax_category for i in items],
                              country=address.get("country", seller_country),
                              region=address.get("region"), on=on,
                              reverse_charge=invoice.reverse_charge)
    totals = pricing.price(items, rates, inclusive=invoice.tax_inclusive)
    for line, out in zip(invoice.lines, totals.lines):
        line.tax_rate = out.rate
        line.net_amount, line.tax_amount, line.gross_amount = out.net, out.tax, out.gross
    invoice.subtotal_amount, invoice.tax_amount, invoice.total_amount = \
        totals.subtotal, totals.tax, totals.total
    return decision.reason


def _finalise(invoice: Invoice, actor: Actor, *, reprice: bool = True) -> None:
    rules.check_transition(invoice.status, "finalised")
    if not invoice.lines:
        raise Conflict("An empty invoice cannot be finalised.", errors={"lines": ["None."]})
    today = business_date()
    if invoice.customer_id is not None:
        customer = db.session.get(User, invoice.customer_id)
        # The buyer as of now, frozen: later profile edits never change an issued invoice.
        invoice.buyer = {**invoice.buyer, "email": customer.email}
    invoice.seller = parties.seller()
    invoice.tax_date = invoice.tax_date or today
    vat_reason = _price(invoice, invoice.tax_date) if reprice else None
    invoice.number = numbering.next_number(invoice.series, today.year)
    invoice.status = "finalised"
    invoice.issue_date = today
    # A credit note asks for no payment: nothing is due, by no date (its PDF shows none).
    invoice.due_date = (None if invoice.kind == "credit_note"
                        else today + timedelta(days=current_app.config.get("INVOICE_DUE_DAYS", 14)))
    invoice.finalised_at = utcnow()
    invoice.pdf_status = "pending"
    audit.record(actor, "invoice.finalise", "invoice", invoice.id,
                 before={"status": "draft"},
                 after={"status": "finalised", "number": invoice.number,
                        "total_amount": invoice.total_amount, "currency": invoice.currency,
                        "reverse_charge": invoice.reverse_charge, "vat_reason": vat_reason})
    publish("invoice.finalised", {"invoice_id": str(invoice.id), "number": invoice.number,
                                  "kind": invoice.kind})


def finalise(invoice_id, *, actor: Actor) -> Invoice:
    invoice = _locked(invoice_id)
    _finalise(invoice, actor)
    db.session.flush()
    return invoice


def _locked(invoice_id) -> Invoice:
    """Load with a row lock (PostgreSQL), so concurrent actions on one invoice serialise."""
    ident = as_uuid(invoice_id)
    invoice = db.session.scalars(
        select(Invoice).where(Invoice.id == ident).with_for_update()
        .execution_options(populate_existing=True)
    ).first() if ident else None
    if invoice is None:
        raise NotFound("Invoice not found.")
    # Lines read before the lock may be stale: read them again under it.
    db.session.expire(invoice, ["lines"])
    return invoice


def _move(invoice: Invoice, target: str, actor: Actor, **values) -> Invoice:
    transitions.move(invoice, target, actor=actor, check=rules.check_transition,
                     topic="invoice", values=values, payload={"number": invoice.number})
    return invoice


def send(invoice_id, *, actor: Actor) -> Invoice:
    """Email the document (PDF attached) to the buyer: the email job follows the commit."""
    invoice = _locked(invoice_id)
    if not (invoice.buyer or {}).get("email"):
        raise Conflict("The buyer has no email address.", errors={"buyer": ["No email."]})
    _move(invoice, "sent", actor, sent_at=utcnow())
    db.session.flush()
    return invoice


def mark_paid(invoice_id, *, actor: Actor, reference: str | None = None) -> Invoice:
    """What is due was received (a bank transfer, say): the invoice is paid."""
    invoice = _locked(invoice_id)
    rules.check_move(invoice, "paid")
    _record_payment(invoice, actor, amount=invoice.amount_due, paid_at=utcnow(),
                    reference=reference)
    db.session.flush()
    return invoice


def _record_payment(invoice: Invoice, actor: Actor, *, amount: int, paid_at, reference) -> None:
    _move(invoice, "paid", actor, paid_at=paid_at, amount_paid=invoice.amount_paid + amount,
          payment_reference=(reference or "").strip()[:100] or None)


def cancel(invoice_id, *, actor: Actor) -> Invoice:
    """Void: a numbered invoice keeps its number (the series stays gapless). Once
    anything is credited the credit notes are the correction, and void is refused."""
    invoice = _locked(invoice_id)
    rules.check_move(invoice, "cancelled")
    _move(invoice, "cancelled", actor, cancelled_at=utcnow())
    db.session.flush()
    return invoice


def issue_credit_note(invoice_id, *, actor: Actor, reason: str = "", lines: list | None = None,
                      amount: int | None = None, exact: list | None = None) -> Invoice:
    """A finalised credit note (series CN) for the whole remaining amount, for some
    lines and quantities, or for a gross amount spread over the lines in proportion.
    Under the invoice's row lock, so the sum credited can never exceed its total."""
    original = _locked(invoice_id)
    if original.status == "credited":
        raise Conflict("Nothing is left to credit on this invoice.",
                       errors={"amount_credited": ["The whole total is credited."]})
    if not rules.can_be_credited(original):
        raise Conflict("Only an issued invoice can be credited.",
                       errors={"status": [original.status]})
    taken = credits.credited_by_line(original.id)
    parts = credits.plan(original, taken, lines=lines, amount=amount, exact=exact)
    note = Invoice(id=uuid.uuid4(), kind="credit_note", series=rules.SERIES["credit_note"],
                   status="draft", customer_id=original.customer_id,
                   credit_note_for_id=original.id, currency=original.currency,
                   tax_inclusive=original.tax_inclusive, buyer=dict(original.buyer),
                   reverse_charge=original.reverse_charge, tax_date=original.tax_date,
                   notes=(reason or "").strip()[:2000])
    for position, part in enumerate(parts):
        line = part.line
        note.lines.append(InvoiceLine(
            position=position, description=line.description, sku=line.sku,
            product_id=line.product_id, quantity=part.quantity, unit_amount=line.unit_amount,
            tax_category=line.tax_category, tax_rate=line.tax_rate, credits_line_id=line.id,
            net_amount=-part.net, tax_amount=-part.tax, gross_amount=-(part.net + part.tax)))
    note.subtotal_amount = sum(l.net_amount for l in note.lines)
    note.tax_amount = sum(l.tax_amount for l in note.lines)
    note.total_amount = sum(l.gross_amount for l in note.lines)
    credited = original.amount_credited - note.total_amount
    if credited > original.total_amount:  # plan() keeps within; this is the last word
        raise Conflict("That would credit more than the invoice total.")
    db.session.add(note)
    db.session.flush()
    _finalise(note, actor, reprice=False)
    # Relative and guarded as well as locked: a credit can never push the sum past the total.
    moved = db.session.execute(
        update(Invoice).where(Invoice.id == original.id,
                              Invoice.amount_credited - note.total_amount <= Invoice.total_amount)
        .values(amount_credited=Invoice.amount_credited - note.total_amount, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict("That would credit more than the invoice total.")
    db.session.expire(original, ["amount_credited", "updated_at"])
    audit.record(actor, "invoice.credit", "invoice", original.id,
                 before={"amount_credited": credited + note.total_amount},
                 after={"amount_credited": credited, "credit_note": note.number})
    publish("credit_note.issued", {"invoice_id": str(note.id), "number": note.number,
                                   "credits": str(original.id)})
    if credited == original.total_amount and original.status in rules.OPEN_STATUSES:
        _move(original, "credited", actor)
    db.session.flush()
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
    today = today or business_date()
    cutoff = utcnow() - timedelta(days=remind_every_days)
    return list(db.session.scalars(select(Invoice.id).where(
        Invoice.kind == "invoice", Invoice.status == "sent", Invoice.due_date < today,
        Invoice.total_amount - Invoice.amount_paid - Invoice.amount_credited > 0,
        (Invoice.last_reminder_at.is_(None)) | (Invoice.last_reminder_at < cutoff))))


def request_reminders(today: date | None = None) -> int:
    """Scheduled: one reminder event per overdue invoice (the email job follows)."""
    ids = overdue(today)
    if ids:
        db.session.execute(update(Invoice).where(Invoice.id.in_(ids))
                           .values(last_reminder_at=utcnow()))
        for ident in ids:
            publish("invoice.reminder_due", {"invoice_id": str(ident)})
        db.session.flush()
    return len(ids)
