"""Paying an invoice that has no order (a manual invoice) by card (localstripe) and by
PayPal (tests/paypal_server.py, a FAKE PayPal REST API: no sandbox is reachable from
the tests): the payment succeeds -> the invoice is paid for exactly its open balance,
in its currency -> the receipt is emailed (aiosmtpd). Bad input charges nothing."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Payment
from tests.factories import bearer
from tests.invoice_support import FINANCE, act, draft_with_lines
from tests.payments_support import customer, deliver, new_key, paid_order, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")


def _manual_invoice(user, currency="GBP") -> Invoice:
    """An issued invoice for the customer, with no order: 2 x 50.00 + 20 % = 120.00."""
    from app.invoices import service as invoices

    draft = draft_with_lines(("Consulting", 2, 5000, "standard"), currency=currency,
                             customer_id=user.id)
    return act(invoices.finalise, draft.id, actor=FINANCE)


def _pay(client, headers, invoice, key=None, **overrides):
    body = {"invoice_id": str(invoice.id), "amount": invoice.amount_due,
            "currency": invoice.currency, **overrides}
    return client.post("/api/v1/payments", json=body,
                       headers={**headers, "Idempotency-Key": key or new_key()})


def _invoice(invoice_id) -> Invoice:
    db.session.expire_all()
    return db.session.get(Invoice, invoice_id)


def _payments() -> int:
    return db.session.scalar(select(func.count()).select_from(Payment))


def test_card_pays_an_invoice_without_order_through_the_webhook(client, stripe_server, smtp):
    user, headers = customer(client)
    invoice = _manual_invoice(user)
    assert (invoice.order_id, invoice.amount_due, invoice.status) == (None, 12000, "finalised")
    smtp.messages.clear()

    created = _pay(client, headers, invoice)
    assert created.status_code == 201, created.get_json()
    payment = created.get_json()
    assert (payment["order_id"], payment["invoice_id"], payment["status"]) == (
        None, str(invoice.id), "pending")
    assert payment["client_secret"]
    intent = stripe_server.intent(payment["gateway_payment_id"])
    assert intent["metadata"] == {"payment_id": payment["id"], "invoice_id": str(invoice.id)}
    assert (intent["amount"], intent["currency"]) == (12000, "gbp")
    # One payment in flight per invoice.
    assert _pay(client, headers, invoice).status_code == 409

    confirmed = stripe_server.confirm(payment["gateway_payment_id"])  # the app, Stripe.js
    assert confirmed["status"] == "succeeded"
    assert deliver(client, "payment_intent.succeeded", confirmed).status_code == 200

    now = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert now["status"] == "succeeded" and now["invoice_id"] == str(invoice.id)
    paid = _invoice(invoice.id)
    assert (paid.status, paid.amount_paid, paid.amount_due) == ("paid", 12000, 0)
    assert paid.payment_reference == payment["gateway_payment_id"]
    receipt = [m for m in smtp.wait_for(1) if m["Subject"].startswith("Receipt")]
    assert receipt and paid.number in receipt[0]["Subject"]
    # Paid: a second payment is refused, nothing charged.
    intents = len(stripe_server.intents())
    again = _pay(client, headers, invoice, amount=12000, payment_method=stripe_server.card())
    assert again.status_code == 409 and len(stripe_server.intents()) == intents


def test_card_confirmed_at_once_pays_the_invoice_and_refund_credits_it(client, stripe_server,
                                                                       factories):
    user, headers = customer(client)
    invoice = _manual_invoice(user)
    resp = _pay(client, headers, invoice, payment_method=stripe_server.card())
    assert resp.status_code == 201 and resp.get_json()["status"] == "succeeded", resp.get_json()
    assert _invoice(invoice.id).status == "paid"
    _, secret_key = factories.api_key(scopes=["payments:write", "payments:read"])
    refunded = client.post(f"/api/v1/payments/{resp.get_json()['id']}/refunds",
                           json={"amount": 2400, "reason": "Goodwill"},
                           headers={**bearer(secret_key), "Idempotency-Key": new_key()})
    assert refunded.status_code == 201, refunded.get_json()
    note = db.session.get(Invoice, uuid.UUID(refunded.get_json()["credit_note_id"]))
    assert (note.kind, abs(note.total_amount), note.credit_note_for_id) == (
        "credit_note", 2400, invoice.id)


def test_paypal_pays_an_invoice_without_order(client, paypal):
    user, headers = customer(client)
    invoice = _manual_invoice(user)
    created = _pay(client, headers, invoice, method="paypal")
    assert created.status_code == 201, created.get_json()
    payment = created.get_json()
    assert payment["status"] == "requires_action" and payment["approval_url"]
    unit = paypal.order(payment["gateway_payment_id"])["purchase_units"][0]
    assert unit["amount"] == {"currency_code": "GBP", "value": "120.00"}
    assert unit["reference_id"] == str(invoice.id)

    paypal.approve(payment["gateway_payment_id"])
    captured = client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    assert captured.status_code == 200, captured.get_json()
    assert captured.get_json()["status"] == "succeeded"
    paid = _invoice(invoice.id)
    assert (paid.status, paid.amount_paid, paid.amount_due) == ("paid", 12000, 0)


@pytest.mark.parametrize("case", ["amount", "currency", "both", "neither"])
def test_bad_invoice_payments_charge_nothing(client, stripe_server, case):
    user, headers = customer(client)
    invoice = _manual_invoice(user)
    overrides = {"payment_method": stripe_server.card()}
    if case == "amount":
        overrides["amount"] = invoice.amount_due + 1
    elif case == "currency":
        overrides["currency"] = "EUR"
    elif case == "both":
        overrides["order_id"] = place_order(client, headers)["id"]
    resp = _pay(client, headers, invoice, **overrides) if case != "neither" else \
        client.post("/api/v1/payments", json={"amount": 100, "currency": "GBP"}, headers=headers)
    assert resp.status_code == 422, resp.get_json()
    assert set(resp.get_json()["errors"]) & {"amount", "currency", "order_id", "invoice_id"}
    assert _payments() == 0 and stripe_server.intents() == []
    assert _invoice(invoice.id).status == "finalised"


def test_someone_elses_or_an_orders_invoice(client, stripe_server):
    alice, _ = customer(client)
    invoice = _manual_invoice(alice)
    _, bob = customer(client)
    assert _pay(client, bob, invoice, payment_method=stripe_server.card()).status_code == 404
    # An order's invoice is paid with its order.
    _, payment = paid_order(client, bob, stripe_server)
    order_invoice = db.session.get(Invoice, uuid.UUID(payment["invoice_id"]))
    resp = _pay(client, bob, order_invoice, amount=100, payment_method=stripe_server.card())
    assert resp.status_code == 409, resp.get_json()
    assert _payments() == 1 and len(stripe_server.intents()) == 1


def test_a_declined_card_leaves_the_invoice_open_and_tells_the_customer(
        client, stripe_server, smtp):
    user, headers = customer(client)
    invoice = _manual_invoice(user)
    smtp.messages.clear()
    resp = _pay(client, headers, invoice, payment_method=stripe_server.card("4000000000000341"))
    assert resp.status_code == 402, resp.get_json()
    payment = db.session.get(Payment, uuid.UUID(resp.get_json()["errors"]["payment_id"][0]))
    assert (payment.status, payment.order_id, payment.invoice_id) == ("failed", None, invoice.id)
    assert _invoice(invoice.id).status == "finalised"
    [told] = [m for m in smtp.wait_for(1) if "did not go through" in m["Subject"]]
    assert _invoice(invoice.id).number in told["Subject"]
    assert "The invoice is still open" in told.get_body(("plain",)).get_content()
    # Still payable, by another card.
    again = _pay(client, headers, invoice, payment_method=stripe_server.card())
    assert again.status_code == 201 and again.get_json()["status"] == "succeeded"
