"""Credit notes that refunded nothing: one definition for every figure that shows them.

A refund issues its own credit note (``Refund.credit_note_id``), so its money is counted
once, as a refund. A credit note issued apart from a refund (finance credits part of a
paid order's invoice in the back office) moves no money: the customer holds it as a
credit, refunded or set off later (its PDF says so). Figures about orders (the
dashboard, the customer's lifetime value) would otherwise never show it, and disagree
with the invoice exports, which total every credit note.

A held credit may later be paid out by a refund (app.payments.payouts). That refund is
counted as refunded money on its own day, and ``paid_out`` takes the same amount off the
held figure on that day: a closed day's figures never change, and over any range the two
add up to what was given back and what is still held."""
from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Refund

ISSUED = ("finalised", "sent")


def credited_without_refund(*columns, where=()):
    """``select(*columns, credited)`` grouped by ``columns``: the positive sum of such
    credit notes (``Invoice``) on the invoices of orders, narrowed by ``where``, by the
    day they were issued, whether or not a refund paid them out later."""
    original = aliased(Invoice)
    return (select(*columns, func.sum(-Invoice.total_amount))
            .join(original, Invoice.credit_note_for_id == original.id)
            .where(Invoice.kind == "credit_note", Invoice.status.in_(ISSUED),
                   original.order_id.is_not(None),
                   ~exists().where(Refund.credit_note_id == Invoice.id,
                                   Refund.pays_out_credit_note_id.is_(None)), *where)
            .group_by(*columns))


def paid_out(*columns, where=()):
    """``select(*columns, amount)`` grouped by ``columns``: the sum of succeeded refunds
    (``Refund``) that paid out such credit notes (``Invoice``), narrowed by ``where``:
    what to take off ``credited_without_refund`` (by the refund's day)."""
    original = aliased(Invoice)
    return (select(*columns, func.sum(Refund.amount))
            .join(Invoice, Invoice.id == Refund.pays_out_credit_note_id)
            .join(original, Invoice.credit_note_for_id == original.id)
            .where(Refund.status == "succeeded", original.order_id.is_not(None), *where)
            .group_by(*columns))


def refunds_issuing(notes) -> dict:
    """{credit note id: the refund it was issued for, or that paid it out}, for ``notes``:
    those missing from it (and issued) are credits the customer still holds."""
    ids = [note.id for note in notes]
    if not ids:
        return {}
    return {refund.credit_note_id: refund for refund in db.session.scalars(
        select(Refund).where(Refund.credit_note_id.in_(ids)))}


def held(note, issuing: dict) -> bool:
    """Whether ``note`` is a credit the customer holds (issued, and no refund issued it
    or paid it out): ``credited_without_refund`` less ``paid_out``, note by note."""
    return note.status in ISSUED and note.id not in issuing
