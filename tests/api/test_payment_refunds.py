"""Refunds through the API against localstripe: partial refunds summing to the total
refund the payment and the order and issue credit notes summing to the invoice; never
more than what remains; the bad input."""
import uuid

import pytest
from sqlalchemy import func, select

from app.catalog.models import Product
from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import Payment, Refund
from tests.factories import bearer
from tests.payments_support import customer, new_key, paid_order, pay, place_order, refund

pytestmark = pytest.mark.usefixtures("tax_rates")


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read", "invoices:read"])
    return bearer(secret)


def _notes(invoice_id) -> list[Invoice]:
    db.session.expire_all()
    return list(db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == uuid.UUID(invoice_id))))


def test_partial_refunds_to_the_total_refund_payment_and_order(client, stripe_server, partner):
    _, headers = customer(client)
    order, payment = paid_order(client, headers, stripe_server, price=3333, quantity=3)
    total = payment["amount"]
    assert total == order["total_amount"] == 11999  # 3 x 33.33 + 20 % tax, rounded per line
    stock_before = db.session.scalar(select(Product.stock_on_hand))
    parts = [4000, 3999, total - 7999]
    for i, amount in enumerate(parts):
        resp = refund(client, partner, payment["id"], key=new_key(), amount=amount,
                      reason=f"part {i}")
        assert resp.status_code == 201, resp.get_json()
        body = resp.get_json()
        assert body["status"] == "succeeded" and body["amount"] == amount
        assert body["credit_note_id"] is not None
    after = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert after["status"] == "refunded" and after["amount_refunded"] == total
    assert after["amount_refundable"] == 0 and len(after["refunds"]) == 3

    notes = _notes(payment["invoice_id"])
    assert sorted(-n.total_amount for n in notes) == sorted(parts)
    assert -sum(n.total_amount for n in notes) == total
    assert -sum(n.tax_amount for n in notes) == order["tax_amount"]  # the original's split
    invoice = db.session.get(Invoice, uuid.UUID(payment["invoice_id"]))
    assert invoice.amount_credited == invoice.total_amount == total

    assert db.session.get(Order, uuid.UUID(order["id"])).status == "refunded"
    assert db.session.scalar(select(Product.stock_on_hand)) == stock_before + 3  # not shipped

    more = refund(client, partner, payment["id"], amount=1)
    assert more.status_code == 409, more.get_json()
    assert sum(r["amount"] for r in stripe_server.refunds()) == total
    assert len(stripe_server.refunds()) == 3


def test_a_refund_above_what_remains_is_refused(client, stripe_server, partner):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    assert refund(client, partner, payment["id"], amount=5000).status_code == 201
    over = refund(client, partner, payment["id"], amount=4001, key=new_key())
    assert over.status_code == 422
    assert over.get_json()["errors"]["amount"] == ["From 1 to 4000 (minor units)."]
    rest = refund(client, partner, payment["id"])  # no amount: all that remains
    assert rest.status_code == 201 and rest.get_json()["amount"] == 4000
    assert len(stripe_server.refunds()) == 2


@pytest.mark.parametrize("body", [{"amount": 0}, {"amount": -5}, {"amount": "10"},
                                  {"amount": 1.5}, {"reason": "x" * 501}, {"extra": 1}])
def test_bad_refund_bodies_change_nothing(client, stripe_server, partner, body):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    resp = refund(client, partner, payment["id"], **body)
    assert resp.status_code == 422, resp.get_json()
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0


def test_refunds_on_failed_or_pending_payments_are_refused(client, stripe_server, partner):
    _, headers = customer(client)
    order = place_order(client, headers)
    declined = pay(client, headers, order, payment_method=stripe_server.card("4000000000000341"))
    assert declined.status_code == 402
    failed = db.session.scalars(select(Payment)).one()
    resp = refund(client, partner, failed.id)
    assert resp.status_code == 409 and "failed" in resp.get_json()["message"]
    pending = pay(client, headers, order).get_json()
    assert refund(client, partner, pending["id"]).status_code == 409
    assert refund(client, partner, uuid.uuid4()).status_code == 404
    assert refund(client, partner, "not-an-id").status_code == 404
    assert stripe_server.refunds() == []


def test_only_partners_with_payments_write_refund(client, stripe_server, factories):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    assert refund(client, headers, payment["id"]).status_code == 403  # customers do not
    _, reader = factories.api_key(scopes=["payments:read"])
    assert refund(client, bearer(reader), payment["id"]).status_code == 403
    assert stripe_server.refunds() == []


def test_a_refund_idempotency_key_replays(client, stripe_server, partner):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    key = new_key()
    first = refund(client, partner, payment["id"], key=key, amount=100)
    second = refund(client, partner, payment["id"], key=key, amount=100)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert len(stripe_server.refunds()) == 1


def test_the_customer_is_told_of_each_refund_once(client, stripe_server, partner):
    from app.notifications.models import Notification

    user, headers = customer(client)
    order, payment = paid_order(client, headers, stripe_server)
    for amount in (1000, 500):
        assert refund(client, partner, payment["id"], key=new_key(),
                      amount=amount).status_code == 201
    db.session.expire_all()
    sent = db.session.scalars(select(Notification).where(
        Notification.template == "refund_issued").order_by(Notification.created_at)).all()
    assert [(n.recipient, n.channel, n.status) for n in sent] == [(user.email, "email", "sent")] * 2
    assert "10.00 GBP" in sent[0].shown_text and "5.00 GBP" in sent[1].shown_text
    assert f"#{order['number']}" in sent[0].shown_text
