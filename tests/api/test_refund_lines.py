"""Refunds of returned items (lines and quantities of the paid invoice), against
localstripe: the refund is what those units have left to credit, its credit note credits
those lines (not a share of every line), the units are reserved while it is pending, and
line refunds, amount refunds and credit notes by hand always add up to the invoice."""
import uuid

import pytest
from sqlalchemy import func, select

from app.core.actor import Actor
from app.core.errors import Conflict
from app.extensions import db
from app.invoices.models import Invoice, InvoiceLine
from app.payments import approvals, refunds
from app.payments.models import Refund
from tests.api.test_refund_approvals import ANNA
from tests.factories import bearer
from tests.invoice_support import act
from tests.orders_support import order_body, product
from tests.payments_support import customer, new_key, pay, refund

pytestmark = pytest.mark.usefixtures("tax_rates")

STAFF = Actor(kind="staff", id=uuid.uuid4(), label="fin@test", role="finance")


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read", "invoices:write",
                                          "invoices:read"])
    return bearer(secret)


@pytest.fixture
def bought(client, stripe_server, partner):
    """(payment, invoice): 3 kettles at 19.99 and 2 books at 7.49 (reduced rate), paid."""
    _, headers = customer(client)
    kettle = product(price=1999, currency="GBP", name="Kettle")
    book = product(price=749, currency="GBP", name="Book", tax_category="reduced")
    placed = client.post("/api/v1/orders", json=order_body((kettle, 3), (book, 2)),
                         headers=headers).get_json()
    paid = pay(client, headers, placed, payment_method=stripe_server.card()).get_json()
    assert paid["status"] == "succeeded", paid
    invoice = client.get(f"/api/v1/invoices/{paid['invoice_id']}", headers=partner).get_json()
    return paid, invoice


def _line(invoice, name):
    return next(l for l in invoice["lines"] if l["description"].startswith(name))


def _note_lines(note_id):
    db.session.expire_all()
    return {(l.credits_line_id, l.quantity, -l.net_amount, -l.tax_amount)
            for l in db.session.scalars(select(InvoiceLine).where(
                InvoiceLine.invoice_id == uuid.UUID(str(note_id))))}


def test_a_returned_book_is_refunded_and_credited_on_the_books_line(
        client, stripe_server, partner, bought):
    payment, invoice = bought
    book = _line(invoice, "Book")
    resp = refund(client, partner, payment["id"], key=new_key(), reason="Book returned",
                  lines=[{"line_id": book["id"], "quantity": 1}])
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    # Half of each, rounded half-up like every amount (75 tax: 38 now, 37 with the second).
    one_net, one_tax = -(-book["net_amount"] // 2), -(-book["tax_amount"] // 2)
    assert body["amount"] == one_net + one_tax and body["status"] == "succeeded"
    assert body["lines"] == [{"line_id": book["id"], "quantity": 1, "net_amount": one_net,
                              "tax_amount": one_tax}]
    # Its credit note credits one book, on the book's line only, at the book's rate.
    assert _note_lines(body["credit_note_id"]) == {
        (uuid.UUID(book["id"]), 1, one_net, one_tax)}
    assert [r["amount"] for r in stripe_server.refunds()] == [body["amount"]]

    # The other book, then everything left by amount: the sums come out exactly.
    second = refund(client, partner, payment["id"], key=new_key(),
                    lines=[{"line_id": book["id"], "quantity": 1}]).get_json()
    assert second["amount"] == book["gross_amount"] - body["amount"]
    gone = refund(client, partner, payment["id"], key=new_key(),
                  lines=[{"line_id": book["id"], "quantity": 1}])
    assert gone.status_code == 422 and "lines" in gone.get_json()["errors"]
    rest = refund(client, partner, payment["id"], key=new_key()).get_json()
    db.session.expire_all()
    original = db.session.get(Invoice, uuid.UUID(invoice["id"]))
    assert original.amount_credited == original.total_amount == payment["amount"]
    assert body["amount"] + second["amount"] + rest["amount"] == payment["amount"]
    notes = db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == original.id)).all()
    assert -sum(n.tax_amount for n in notes) == original.tax_amount


def test_units_being_refunded_are_reserved_until_it_settles(client, stripe_server, partner,
                                                            bought):
    """A refund of two kettles opened (pending at the gateway): a second refund of two
    more of the three is refused; the third kettle can still be refunded."""
    payment, invoice = bought
    kettle = _line(invoice, "Kettle")
    pending = act(refunds.open, uuid.uuid4(), payment["id"], amount=None, reason="two",
                  actor=STAFF, lines=[{"line_id": kettle["id"], "quantity": 2}])
    more = refund(client, partner, payment["id"], key=new_key(),
                  lines=[{"line_id": kettle["id"], "quantity": 2}])
    assert more.status_code == 422, more.get_json()
    assert more.get_json()["errors"]["lines"]["0"]["quantity"] == [
        "A whole number from 1 to 1 (not yet credited)."]
    last = refund(client, partner, payment["id"], key=new_key(),
                  lines=[{"line_id": kettle["id"], "quantity": 1}])
    assert last.status_code == 201, last.get_json()
    done = act(refunds.execute, pending, resumable=False)
    assert done.status == "succeeded"
    assert sum(q for _, q, _, _ in _note_lines(done.credit_note_id)) == 2
    db.session.expire_all()
    credited = db.session.scalar(select(func.sum(InvoiceLine.quantity)).join(Invoice).where(
        Invoice.credit_note_for_id == uuid.UUID(invoice["id"]),
        InvoiceLine.credits_line_id == uuid.UUID(kettle["id"])))
    assert credited == 3


def test_a_credit_by_hand_meanwhile_still_gives_a_note_equal_to_the_money(
        client, stripe_server, partner, bought):
    payment, invoice = bought
    kettle = _line(invoice, "Kettle")
    call = act(refunds.open, uuid.uuid4(), payment["id"], amount=None, reason="3 kettles",
               actor=STAFF, lines=[{"line_id": kettle["id"], "quantity": 3}])
    # Finance credits every line by amount while the refund is at the gateway.
    by_hand = client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", headers=partner,
                          json={"amount": 1000, "reason": "Goodwill"})
    assert by_hand.status_code == 201
    done = act(refunds.execute, call, resumable=False)
    note = db.session.get(Invoice, done.credit_note_id)
    assert done.status == "succeeded" and -note.total_amount == done.amount == call.amount


@pytest.mark.parametrize("body, field", [
    ({"lines": []}, "lines"),
    ({"lines": [{"line_id": "x", "quantity": 1}]}, "lines"),
    ({"lines": [{"quantity": 1}]}, "lines"),
    ({"lines": "KETTLE:4"}, "lines"),
    ({"lines": "KETTLE:0"}, "lines"),
    ({"lines": "OTHER:1"}, "lines"),
    ({"lines": "KETTLE:1", "amount": 100}, "amount"),
    ({"lines": "KETTLE:1", "credit_note_id": str(uuid.uuid4())}, "credit_note_id"),
])
def test_bad_lines_are_refused_and_nothing_moves(client, stripe_server, partner, bought,
                                                 body, field):
    payment, invoice = bought
    kettle = _line(invoice, "Kettle")
    if isinstance(body.get("lines"), str):
        name, qty = body["lines"].split(":")
        line_id = kettle["id"] if name == "KETTLE" else str(uuid.uuid4())
        body = {**body, "lines": [{"line_id": line_id, "quantity": int(qty)}]}
    resp = refund(client, partner, payment["id"], key=new_key(), **body)
    assert resp.status_code == 422, resp.get_json()
    errors = resp.get_json()["errors"]
    assert field in errors.get("json", errors), resp.get_json()  # schema, or service
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0
    assert stripe_server.refunds() == []


def test_above_the_threshold_a_line_refund_waits_for_approval(
        client, stripe_server, partner, bought, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFUND_APPROVAL_THRESHOLD", {"GBP": 3000})
    payment, invoice = bought
    kettle = _line(invoice, "Kettle")
    resp = refund(client, partner, payment["id"], reason="Two kettles back",
                  lines=[{"line_id": kettle["id"], "quantity": 2}])
    assert resp.status_code == 202, resp.get_json()
    request = resp.get_json()
    assert request["lines"] == [{"line_id": kettle["id"], "quantity": 2}]
    assert request["amount"] == round(kettle["gross_amount"] * 2 / 3)
    call = act(approvals.approve, request["id"], actor=ANNA)
    done = act(refunds.execute, call, resumable=False)
    assert done.amount == request["amount"]
    assert {(q, n + t) for _, q, n, t in _note_lines(done.credit_note_id)} == {
        (2, request["amount"])}


def test_an_approval_after_the_items_were_credited_by_hand_is_refused(
        client, stripe_server, partner, bought, app, monkeypatch):
    """What the approver approves is the amount requested: if a credit by hand changed
    what the returned items come to, nothing is refunded and the request stays open."""
    monkeypatch.setitem(app.config, "REFUND_APPROVAL_THRESHOLD", {"GBP": 3000})
    payment, invoice = bought
    kettle = _line(invoice, "Kettle")
    request = refund(client, partner, payment["id"], reason="Two kettles back",
                     lines=[{"line_id": kettle["id"], "quantity": 2}]).get_json()
    assert client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", headers=partner,
                       json={"amount": 1000}).status_code == 201
    with pytest.raises(Conflict, match="now come to"):
        act(approvals.approve, request["id"], actor=ANNA)
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0
    assert stripe_server.refunds() == []
    polled = client.get(f"/api/v1/payments/refund-requests/{request['id']}", headers=partner)
    assert polled.get_json()["status"] == "requested"
