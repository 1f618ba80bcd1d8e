"""Bank transfers through the multi-process server on PostgreSQL: ten transfers paying
the same invoice exactly, sent at once (different keys), pay it once; the others are
held as already paid, and the invoice's amount_paid is its total, not ten times it."""
import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import BankTransfer
from tests.factories import bearer
from tests.live import fire_at_once, web_server
from tests.transfer_support import open_invoice, transfer_body

pytestmark = pytest.mark.usefixtures("tax_rates")


def test_ten_transfers_at_once_pay_an_invoice_once(pg_app, factories):
    invoice = open_invoice()
    number, due = invoice.number, invoice.amount_due  # read here: the threads have no app
    _, secret = factories.api_key(scopes=["payments:write"])
    headers = bearer(secret)
    with web_server(pg_app, workers=2) as base:
        answers = fire_at_once(10, lambda i: requests.post(
            f"{base}/api/v1/payments/bank-transfers", headers=headers, timeout=60,
            json=transfer_body(number, due, note=f"copy {i}")))
    assert [a.status_code for a in answers] == [201] * 10, [a.text for a in answers]
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["applied"] + ["held"] * 9
    db.session.expire_all()
    reasons = set(db.session.scalars(select(BankTransfer.hold_reason).where(
        BankTransfer.status == "held")))
    assert reasons == {"already_paid"}
    paid = db.session.get(Invoice, invoice.id)
    assert paid.status == "paid" and paid.amount_paid == paid.total_amount == 12000
