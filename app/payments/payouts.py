"""Paying out a held credit note: the money of a credit note that was issued apart from
any refund (finance credited part of a paid invoice; the customer holds it as a credit)
given back through a refund of the payment that paid the invoice.

Such a refund names the note and issues no credit note of its own: otherwise the same
reduction would be credited twice, once held and once refunded. It is for exactly the
note's amount, from a payment that took the note's invoice, and at most one refund that
has not failed pays out a note (checked under the note's row lock; a partial unique
index in the database is the last word).
"""
from __future__ import annotations

from sqlalchemy import exists, select

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.types import as_uuid
from app.extensions import db
from app.invoices.models import Invoice
from app.orders import service as orders
from app.payments import rules
from app.payments.models import Payment, Refund

ISSUED = ("finalised", "sent")
LIVE = ("pending", "succeeded")


def invoice_taken(payment: Payment):
    """The id of the invoice this payment paid, or None (it paid nothing, or nothing
    was invoiced): the one a refund of it credits."""
    if payment.invoice_id is not None:
        return payment.invoice_id
    if payment.order_id is None:
        return None
    order = orders.get(payment.order_id)
    if not rules.order_took(payment, order):
        return None  # paid nothing, so never invoiced (app.payments.unapplied)
    # Taken outside checkout's path (older rows): the order's own invoice.
    return db.session.scalar(select(Invoice.id).where(
        Invoice.order_id == order.id, Invoice.kind == "invoice"))


def held_problem(note: Invoice) -> str | None:
    """Why ``note`` is not a credit the customer holds, or None if it is."""
    if note.kind != "credit_note":
        return "Not a credit note."
    if note.status not in ISSUED:
        return f"The credit note is {note.status}, not issued."
    if db.session.scalar(select(exists().where(
            Refund.credit_note_id == note.id, Refund.pays_out_credit_note_id.is_(None)))):
        return "A refund issued this credit note: its money already went back."
    if db.session.scalar(select(exists().where(
            Refund.pays_out_credit_note_id == note.id, Refund.status.in_(LIVE)))):
        return "A refund already pays out this credit note."
    return None


def amount_of(note: Invoice) -> int:
    return -note.total_amount


def amount_if_credit_note(note_id) -> int | None:
    note = db.session.get(Invoice, as_uuid(note_id)) if as_uuid(note_id) else None
    return amount_of(note) if note is not None and note.kind == "credit_note" else None


def check(payment: Payment, note_id, amount: int | None, *, lock: bool) -> tuple[Invoice, int]:
    """The held credit note ``note_id`` that a refund of ``payment`` may pay out, and the
    refund's amount (the note's); refused with the reason otherwise. ``lock``: under the
    note's row lock (opening the refund), so two refunds cannot both pay it out."""
    ident = as_uuid(note_id)
    stmt = select(Invoice).where(Invoice.id == ident)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    note = db.session.scalars(stmt).first() if ident else None
    if note is None or note.customer_id != payment.customer_id:
        raise NotFound("Credit note not found.", errors={"credit_note_id": ["Not found."]})
    taken = invoice_taken(payment)
    if note.kind != "credit_note" or taken is None or note.credit_note_for_id != taken:
        raise InvalidInput("This payment did not pay the invoice the credit note corrects.",
                           errors={"credit_note_id": ["Not a credit note of the invoice "
                                                      "this payment paid."]})
    problem = held_problem(note)
    if problem:
        raise Conflict(problem, errors={"credit_note_id": [problem]})
    due = amount_of(note)
    if amount is not None and amount != due:
        raise InvalidInput("A refund that pays out a credit note is for its amount.",
                           errors={"amount": [f"{due} (minor units), the credit note's "
                                              "amount, or omitted."]})
    if due > payment.refundable:
        raise Conflict("The payment has less left to refund than the credit note's amount.",
                       errors={"amount": [f"At most {payment.refundable} (minor units) is "
                                          "left on this payment."]})
    return note, due


def payable_from(note: Invoice) -> list[Payment]:
    """Payments a refund could pay ``note`` out of now: succeeded, by card or another
    gateway (a bank transfer goes back outside the app), that paid its invoice, with at
    least its amount left. Empty when the note is not held. For the back office's offer;
    ``check`` decides for sure."""
    if note.kind != "credit_note" or held_problem(note):
        return []
    original = db.session.get(Invoice, note.credit_note_for_id)
    stmt = select(Payment).where(Payment.status == "succeeded",
                                 Payment.method != "bank_transfer",
                                 Payment.customer_id == note.customer_id)
    if original.order_id is not None:
        stmt = stmt.where((Payment.invoice_id == original.id)
                          | (Payment.order_id == original.order_id))
    else:
        stmt = stmt.where(Payment.invoice_id == original.id)
    return [p for p in db.session.scalars(stmt.order_by(Payment.created_at))
            if p.refundable >= amount_of(note) and invoice_taken(p) == original.id]


def refund_of(note: Invoice) -> Refund | None:
    """The refund that gave ``note``'s money back: the one that issued it, or the one
    that pays it out (pending or succeeded). None: the customer holds it."""
    return db.session.scalars(select(Refund).where(
        (Refund.credit_note_id == note.id)
        | ((Refund.pays_out_credit_note_id == note.id) & Refund.status.in_(LIVE)))).first()


def held_on(payment: Payment) -> list[Invoice]:
    """Credit notes the customer holds on the invoice this payment paid: a refund meant
    to give one of them back should pay it out, or the reduction is credited twice."""
    taken = invoice_taken(payment)
    if taken is None:
        return []
    notes = db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == taken, Invoice.kind == "credit_note",
        Invoice.status.in_(ISSUED)).order_by(Invoice.finalised_at, Invoice.id))
    return [note for note in notes if held_problem(note) is None]
