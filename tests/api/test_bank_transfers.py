"""Bank transfers through the API: a transfer paying an open invoice or an unpaid order
exactly is applied (invoice, order and payment paid in one unit of work); anything else
is held with its reason and changes nothing else."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import BankTransfer, Payment
from tests.factories import bearer
from tests.payments_support import customer, new_key, place_order
from tests.transfer_support import open_invoice, transfer_body

pytestmark = pytest.mark.usefixtures("tax_rates")
URL = "/api/v1/payments/bank-transfers"


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    return bearer(secret)


def _post(client, headers, body, key=None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(URL, json=body, headers={**headers, **extra})


def test_a_transfer_quoting_an_open_invoice_exactly_pays_it(client, partner):
    invoice = open_invoice()
    assert invoice.amount_due == 12000
    key = new_key()
    resp = _post(client, partner, transfer_body(f" {invoice.number.lower()} ", 12000), key)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "applied" and body["hold_reason"] is None
    assert body["invoice_id"] == str(invoice.id) and body["applied_at"]
    db.session.expire_all()
    paid = db.session.get(Invoice, invoice.id)
    assert paid.status == "paid" and paid.amount_paid == 12000 and paid.amount_due == 0
    assert paid.payment_reference.startswith("bank transfer")
    again = _post(client, partner, transfer_body(f" {invoice.number.lower()} ", 12000), key)
    assert again.status_code == 201 and again.get_json()["id"] == body["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert db.session.scalar(select(func.count()).select_from(BankTransfer)) == 1
    got = client.get(f"{URL}/{body['id']}", headers=partner)
    assert got.status_code == 200 and got.get_json() == body


def test_a_transfer_quoting_an_unpaid_order_pays_order_and_invoice(client, partner):
    _, headers = customer(client)
    order = place_order(client, headers)
    resp = _post(client, partner, transfer_body(order["id"].upper(), order["total_amount"]))
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "applied" and body["order_id"] == order["id"]
    db.session.expire_all()
    payment = db.session.get(Payment, uuid.UUID(body["payment_id"]))
    assert (payment.method, payment.gateway, payment.status) == ("bank_transfer", "bank",
                                                                  "succeeded")
    assert payment.amount == order["total_amount"]
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "paid"
    invoice = db.session.get(Invoice, uuid.UUID(body["invoice_id"]))
    assert invoice.status == "paid" and invoice.total_amount == order["total_amount"]
    assert payment.invoice_id == invoice.id


@pytest.mark.parametrize("case,reason", [
    ("amount", "amount_mismatch"), ("currency", "currency_mismatch"),
    ("unknown", "unknown_reference"), ("paid", "already_paid")])
def test_a_transfer_that_does_not_match_is_held_and_changes_nothing(client, partner, case,
                                                                     reason):
    invoice = open_invoice()
    body = transfer_body(invoice.number, 12000)
    if case == "amount":
        body["amount"] = 11999
    elif case == "currency":
        body["currency"] = "EUR"
    elif case == "unknown":
        body["reference"] = "INV-1999-000001"
    else:
        assert _post(client, partner, transfer_body(invoice.number, 12000)).status_code == 201
    resp = _post(client, partner, body)
    assert resp.status_code == 201, resp.get_json()
    held = resp.get_json()
    assert held["status"] == "held" and held["hold_reason"] == reason and held["hold_message"]
    assert held["payment_id"] is None and held["applied_at"] is None
    db.session.expire_all()
    after = db.session.get(Invoice, invoice.id)
    assert after.amount_paid == (12000 if case == "paid" else 0)
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 0
    listed = client.get(f"{URL}?status=held", headers=partner).get_json()
    assert [t["id"] for t in listed["data"]] == [held["id"]]


@pytest.mark.parametrize("change", [{"amount": 0}, {"amount": -5}, {"amount": 12.5},
                                    {"amount": "12000"}, {"currency": "EURO"},
                                    {"currency": "XXY"}, {"reference": ""},
                                    {"value_date": "yesterday"}, {"payer_name": ""},
                                    {"extra": 1}])
def test_bad_transfer_bodies_are_refused_and_store_nothing(client, partner, change):
    invoice = open_invoice()
    resp = _post(client, partner, {**transfer_body(invoice.number, 12000), **change})
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(BankTransfer)) == 0
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).status == "finalised"


def test_recording_a_transfer_needs_payments_write(client, factories):
    _, secret = factories.api_key(scopes=["payments:read"])
    resp = _post(client, bearer(secret), transfer_body("INV-2026-000001", 100))
    assert resp.status_code == 403
    _, headers = customer(client)
    assert _post(client, headers, transfer_body("INV-2026-000001", 100)).status_code == 403


def test_a_bank_transfer_payment_is_not_refunded_through_the_gateway(client, partner):
    _, headers = customer(client)
    order = place_order(client, headers)
    body = _post(client, partner, transfer_body(order["id"], order["total_amount"])).get_json()
    resp = client.post(f"/api/v1/payments/{body['payment_id']}/refunds",
                       json={"amount": 100, "reason": "x"}, headers=partner)
    assert resp.status_code == 409, resp.get_json()
    assert resp.get_json()["errors"] == {"method": ["bank_transfer"]}
    db.session.expire_all()
    assert db.session.get(Payment, uuid.UUID(body["payment_id"])).amount_refunded == 0
