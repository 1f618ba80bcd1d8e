"""Held bank transfers, resolved by finance through the service: applied to what they pay
exactly (never in part) or returned; each decision audited; a refusal changes nothing."""
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.errors import Conflict, InvalidInput
from app.extensions import db
from app.invoices.models import Invoice
from app.payments import transfers
from app.payments.models import BankTransfer
from tests.invoice_support import FINANCE, act
from tests.transfer_support import open_invoice

pytestmark = pytest.mark.usefixtures("tax_rates")


def _record(reference, amount, currency="GBP"):
    return act(transfers.record, transfers.transfer_id_for("t", None), amount=amount,
               currency=currency, reference=reference, value_date=date(2026, 12, 2),
               payer_name="Ada", actor=FINANCE)


def test_a_held_transfer_is_applied_to_the_invoice_finance_names(app):
    invoice = open_invoice()
    held = _record("typo 42", 12000)
    assert (held.status, held.hold_reason) == ("held", "unknown_reference")
    applied = act(transfers.apply_held, held.id, reference=invoice.number, actor=FINANCE)
    assert applied.status == "applied" and applied.invoice_id == invoice.id
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).status == "paid"
    actions = set(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_id == str(held.id))))
    assert {"bank_transfer.record", "bank_transfer.applied"} <= actions
    with pytest.raises(Conflict):
        act(transfers.apply_held, held.id, reference=invoice.number, actor=FINANCE)


def test_a_partial_transfer_is_never_applied(app):
    invoice = open_invoice()
    held = _record(invoice.number, 6000)
    assert held.hold_reason == "amount_mismatch" and "120.00" in held.hold_message
    with pytest.raises(InvalidInput) as refused:
        act(transfers.apply_held, held.id, actor=FINANCE)
    assert "amount" in refused.value.errors
    db.session.expire_all()
    assert db.session.get(BankTransfer, held.id).status == "held"
    assert db.session.get(Invoice, invoice.id).amount_paid == 0


def test_a_held_transfer_is_returned_with_a_reason(app):
    held = _record("nothing", 500, currency="EUR")
    with pytest.raises(InvalidInput):
        act(transfers.return_to_payer, held.id, reason=" ", actor=FINANCE)
    returned = act(transfers.return_to_payer, held.id, reason="Sent back to payer",
                   actor=FINANCE)
    assert returned.status == "returned" and returned.returned_at is not None
    with pytest.raises(Conflict):
        act(transfers.apply_held, held.id, actor=FINANCE)
