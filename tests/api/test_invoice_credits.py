"""Credit notes, payments and the sums of an invoice through the API, and the bad input
around them: each refusal has its status and JSON error, and writes nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.invoices.models import Invoice, InvoiceLine
from app.orders.models import Order
from tests.factories import bearer, login
from tests.invoice_support import BUYER, rates
from tests.orders_support import ADDRESS, order_body, product


@pytest.fixture
def writer(app, factories):
    rates()
    _, secret = factories.api_key(scopes=["invoices:write", "invoices:read"])
    return bearer(secret)


def _issued(client, writer) -> dict:
    draft = client.post("/api/v1/invoices", json={"currency": "GBP", "buyer": BUYER},
                        headers=writer).get_json()
    for body in ({"description": "Widget", "quantity": 4, "unit_amount": 2500},
                 {"description": "Book", "quantity": 3, "unit_amount": 1000,
                  "tax_category": "reduced"}):
        assert client.post(f"/api/v1/invoices/{draft['id']}/lines", json=body,
                           headers=writer).status_code == 201
    done = client.post(f"/api/v1/invoices/{draft['id']}/finalise", headers=writer)
    assert done.status_code == 200, done.get_json()
    return done.get_json()


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Invoice, InvoiceLine, Order))


def test_partial_credit_notes_and_the_sums(client, writer):
    invoice = _issued(client, writer)
    assert (invoice["total_amount"], invoice["amount_due"], invoice["amount_paid"],
            invoice["amount_credited"]) == (15150, 15150, 0, 0)
    widget = invoice["lines"][0]
    resp = client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", headers=writer,
                       json={"lines": [{"line_id": widget["id"], "quantity": 1}],
                             "reason": "One returned"})
    assert resp.status_code == 201, resp.get_json()
    note = resp.get_json()
    assert note["kind"] == "credit_note" and note["total_amount"] == -3000
    assert note["lines"][0]["credits_line_id"] == widget["id"]
    assert note["credit_note_for_id"] == invoice["id"] and note["amount_due"] == 0
    resp = client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", headers=writer,
                       json={"amount": 2150})
    assert resp.status_code == 201 and resp.get_json()["total_amount"] == -2150
    now = client.get(f"/api/v1/invoices/{invoice['id']}", headers=writer).get_json()
    assert (now["amount_credited"], now["amount_due"]) == (5150, 10000)
    paid = client.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", headers=writer,
                       json={"reference": "TRF-2026-77"})
    assert paid.status_code == 200, paid.get_json()
    body = paid.get_json()
    assert (body["status"], body["amount_paid"], body["amount_due"]) == ("paid", 10000, 0)
    assert body["payment_reference"] == "TRF-2026-77"


def test_mark_paid_needs_no_body(client, writer):
    invoice = _issued(client, writer)
    resp = client.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", headers=writer)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["amount_paid"] == 15150


@pytest.mark.parametrize("body, status, field", [
    ({"amount": 15151}, 422, "amount"),
    ({"amount": 0}, 422, "amount"),
    ({"amount": "12.00"}, 422, "amount"),
    ({"amount": 100, "lines": [{"line_id": "00000000-0000-0000-0000-000000000000",
                                "quantity": 1}]}, 422, "amount"),
    ({"lines": [{"line_id": "00000000-0000-0000-0000-000000000000", "quantity": 1}]}, 422,
     "lines"),
    ({"lines": []}, 422, "lines"),
    ({"lines": [{"quantity": 1}]}, 422, "lines"),
])
def test_bad_credit_notes_are_refused_and_write_nothing(client, writer, body, status, field):
    invoice = _issued(client, writer)
    before = _counts()
    resp = client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", headers=writer,
                       json=body)
    assert resp.status_code == status, resp.get_json()
    error = resp.get_json()
    assert error["code"] == status and field in str(error.get("errors"))
    assert _counts() == before


def test_state_refusals_are_409_and_write_nothing(client, writer):
    draft = client.post("/api/v1/invoices", json={"currency": "GBP", "buyer": BUYER},
                        headers=writer).get_json()
    assert client.post(f"/api/v1/invoices/{draft['id']}/credit-notes", headers=writer,
                       json={}).status_code == 409
    invoice = _issued(client, writer)
    assert client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", headers=writer,
                       json={}).status_code == 201
    before = _counts()
    for action in ("mark-paid", "cancel", "credit-notes"):
        resp = client.post(f"/api/v1/invoices/{invoice['id']}/{action}", headers=writer, json={})
        assert resp.status_code == 409, (action, resp.get_json())
        assert resp.get_json()["code"] == 409
    assert _counts() == before
    now = client.get(f"/api/v1/invoices/{invoice['id']}", headers=writer).get_json()
    assert now["status"] == "credited" and now["amount_due"] == 0


@pytest.mark.parametrize("currency", ["ZZZ", "XXXX", "12", "eu"])
def test_unknown_currencies_are_422(client, writer, currency):
    resp = client.post("/api/v1/invoices", json={"currency": currency, "buyer": BUYER},
                       headers=writer)
    assert resp.status_code == 422 and "currency" in resp.get_json()["errors"]
    assert _counts() == (0, 0, 0)


def test_an_order_to_a_country_without_rates_is_422_naming_it(client, app, factories):
    rates()
    user = factories.user(verified=True)
    headers = bearer(login(client, user.email)["access_token"])
    p = product(stock=3)
    resp = client.post("/api/v1/orders", headers=headers,
                       json=order_body((p, 1), address={**ADDRESS, "country": "BR"}))
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == {"shipping_address": {"country": [
        "No tax rate configured for BR."]}}
    assert _counts() == (0, 0, 0)
