"""Finance credits part of a card-paid order in the back office, then refunds that credit
to the card from the credit note's page: one refund, no second credit note, and every
page says where the money is (held, then refunded). On SQLite and PostgreSQL, against
localstripe."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Refund
from tests.admin.test_money_agreement import page
from tests.payments_support import customer, paid_order

pytestmark = pytest.mark.usefixtures("tax_rates")


@pytest.fixture
def held(client, stripe_server, login_as):
    """(back office, payment, credit note id): 25.00 credited in the back office on a
    90.00 card payment's invoice."""
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    bo, _ = login_as("finance")
    invoice_id = payment["invoice_id"]
    resp = bo.post(f"/admin/invoices/{invoice_id}/do/credit-note/",
                   {"reason": "Scratched", "amount": "25.00"},
                   token_from=f"/admin/invoices/details/?id={invoice_id}")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    note_id = db.session.scalar(select(Invoice.id).where(
        Invoice.credit_note_for_id == uuid.UUID(invoice_id)))
    return bo, payment, note_id


def test_a_held_credit_is_refunded_to_the_card_from_its_page(held, stripe_server):
    bo, payment, note_id = held
    note_number = db.session.get(Invoice, note_id).number
    payment_url = f"/admin/payments/details/?id={payment['id']}"
    # Where a person would refund it by habit, the payment page points to the note.
    assert f"The customer holds credit note {note_number} (25.00 GBP)" in page(
        bo, payment_url).text
    url = f"/admin/invoices/details/?id={note_id}"
    before = page(bo, url)
    assert "Held by the customer as a credit" in before.text
    assert "Refund this credit (25.00 GBP) to the customer" in before.text
    assert "90.00 GBP refundable" in before.text

    resp = bo.post(f"/admin/invoices/{note_id}/pay-out/",
                   {"payment_id": payment["id"], "reason": "Customer asked for the money"},
                   token_from=url)
    assert resp.status_code == 302
    after = page(bo, url)
    assert "Refund of 25.00 GBP: succeeded." in after.text
    assert "Refunded to the customer by a refund of the payment" in after.text
    assert "Refund this credit" not in after.text  # nothing left to pay out

    refunds = db.session.scalars(select(Refund)).all()
    assert [(r.amount, r.pays_out_credit_note_id, r.credit_note_id) for r in refunds] == [
        (2500, note_id, note_id)]
    assert [r["amount"] for r in stripe_server.refunds()] == [2500]
    db.session.expire_all()
    invoice = db.session.get(Invoice, uuid.UUID(payment["invoice_id"]))
    assert invoice.amount_credited == 2500  # once
    assert db.session.scalars(select(Invoice.id).where(
        Invoice.credit_note_for_id == invoice.id)).all() == [note_id]
    payment_page = page(bo, payment_url)
    assert "25.00 GBP" in payment_page.text and "credit note" in payment_page.text
    assert "The customer holds credit note" not in payment_page.text


@pytest.mark.parametrize("form, message", [
    ({"reason": ""}, "Reason: Required."),
    ({"reason": "ok", "payment_id": "not-an-id"}, "Payment not found."),
])
def test_a_bad_pay_out_form_is_refused_and_refunds_nothing(held, stripe_server, form, message):
    bo, payment, note_id = held
    url = f"/admin/invoices/details/?id={note_id}"
    body = {"payment_id": payment["id"], **form}
    resp = bo.post(f"/admin/invoices/{note_id}/pay-out/", body, token_from=url)
    assert resp.status_code == 302
    shown = page(bo, url)
    assert message in shown.text
    assert "Held by the customer as a credit" in shown.text
    assert db.session.scalars(select(Refund)).all() == [] and stripe_server.refunds() == []


def test_support_staff_cannot_pay_out(held, login_as):
    _, payment, note_id = held
    support, _ = login_as("support")
    resp = support.post(f"/admin/invoices/{note_id}/pay-out/",
                        {"payment_id": payment["id"], "reason": "x"},
                        token_from="/admin/")
    assert resp.status_code in (302, 403)
    assert db.session.scalars(select(Refund)).all() == []
