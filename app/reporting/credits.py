"""Credit notes that refunded nothing: one definition for every figure that shows them.

A refund issues its own credit note (``Refund.credit_note_id``), so its money is counted
once, as a refund. A credit note issued apart from a refund (finance credits part of a
paid order's invoice in the back office) moves no money: the customer holds it as a
credit, refunded or set off later (its PDF says so). Figures about orders (the
dashboard, the customer's lifetime value) would otherwise never show it, and disagree
with the invoice exports, which total every credit note."""
from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Refund

ISSUED = ("finalised", "sent")


def credited_without_refund(*columns, where=()):
    """``select(*columns, credited)`` grouped by ``columns``: the positive sum of such
    credit notes on the invoices of orders, narrowed by ``where``."""
    original = aliased(Invoice)
    return (select(*columns, func.sum(-Invoice.total_amount))
            .join(original, Invoice.credit_note_for_id == original.id)
            .where(Invoice.kind == "credit_note", Invoice.status.in_(ISSUED),
                   original.order_id.is_not(None),
                   ~exists().where(Refund.credit_note_id == Invoice.id), *where)
            .group_by(*columns))


def refunds_issuing(notes) -> dict:
    """{credit note id: the refund it was issued for}, for ``notes``: those missing from
    it (and issued) refunded nothing."""
    ids = [note.id for note in notes]
    if not ids:
        return {}
    return {refund.credit_note_id: refund for refund in db.session.scalars(
        select(Refund).where(Refund.credit_note_id.in_(ids)))}


def held(note, issuing: dict) -> bool:
    """Whether ``note`` is a credit the customer holds (issued, and no refund issued it):
    the same credit notes ``credited_without_refund`` sums."""
    return note.status in ISSUED and note.id not in issuing
