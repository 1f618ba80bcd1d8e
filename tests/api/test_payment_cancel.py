"""Cancelling an open payment (POST /payments/{id}/cancel) against localstripe and the
fake PayPal: the order stays payable by a new payment; a payment the buyer completed
meanwhile is recorded as succeeded (409), never cancelled with the money taken."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.payments.models import Payment
from tests.factories import bearer
from tests.payments_support import awaiting_3ds, customer, deliver, new_key, pay, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")



def _cancel(client, headers, payment_id, *, key=None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/payments/{payment_id}/cancel", headers={**headers, **extra})



def test_abandoned_3ds_is_cancelled_and_a_new_payment_succeeds(client, stripe_server):
    headers, order, first = awaiting_3ds(client, stripe_server)
    blocked = pay(client, headers, order, key=new_key(), payment_method=stripe_server.card())
    assert blocked.status_code == 409  # one payment in flight per order

    resp = _cancel(client, headers, first["id"], key=new_key())
    assert resp.status_code == 200, resp.get_json()
    cancelled = resp.get_json()
    assert cancelled["status"] == "cancelled" and cancelled["next_action"] is None
    assert stripe_server.intent(first["gateway_payment_id"])["status"] == "canceled"
    # Again (no key): the cancelled payment, nothing asked of Stripe.
    assert _cancel(client, headers, first["id"]).get_json()["status"] == "cancelled"
    order_now = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert order_now["status"] == "pending_payment"

    second = pay(client, headers, order, key=new_key(), payment_method=stripe_server.card())
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["status"] == "succeeded"
    order_now = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert order_now["status"] == "paid"
    # Stripe's payment_intent.canceled webhook, late, changes nothing.
    deliver(client, "payment_intent.canceled", stripe_server.intent(first["gateway_payment_id"]))
    assert db.session.get(Payment, uuid.UUID(first["id"])).status == "cancelled"


def test_a_succeeded_payment_cannot_be_cancelled(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    paid = pay(client, headers, order, payment_method=stripe_server.card()).get_json()
    assert paid["status"] == "succeeded"
    resp = _cancel(client, headers, paid["id"])
    assert resp.status_code == 409, resp.get_json()
    assert resp.get_json()["errors"]["status"] == ["succeeded"]
    assert stripe_server.intent(paid["gateway_payment_id"])["status"] == "succeeded"


def test_someone_elses_payment_is_not_found(client, stripe_server):
    _, _, payment = awaiting_3ds(client, stripe_server)
    _, stranger = customer(client)
    resp = _cancel(client, stranger, payment["id"])
    assert resp.status_code == 404, resp.get_json()
    assert db.session.get(Payment, uuid.UUID(payment["id"])).status == "requires_action"
    assert stripe_server.intent(payment["gateway_payment_id"])["status"] == "requires_action"


def test_partners_cancel_with_payments_write(client, stripe_server, factories):
    _, _, payment = awaiting_3ds(client, stripe_server)
    _, reader = factories.api_key(scopes=["payments:read"])
    assert _cancel(client, bearer(reader), payment["id"]).status_code == 403
    _, writer = factories.api_key(scopes=["payments:write"])
    resp = _cancel(client, bearer(writer), payment["id"])
    assert resp.status_code == 200 and resp.get_json()["status"] == "cancelled"


def test_confirmed_at_stripe_before_the_cancel_ends_succeeded(client, stripe_server):
    """The buyer passed 3-D Secure just before the cancel (its webhook not here yet):
    Stripe refuses to cancel, the success is applied, the answer is 409 naming it."""
    headers, order, payment = awaiting_3ds(client, stripe_server)
    intent = stripe_server.authenticate({"id": payment["gateway_payment_id"],
                                         "client_secret": payment["client_secret"]})
    assert intent["status"] == "succeeded"

    resp = _cancel(client, headers, payment["id"], key=new_key())
    assert resp.status_code == 409, resp.get_json()
    assert resp.get_json()["errors"]["payment_id"] == [payment["id"]]
    now = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert now["status"] == "succeeded" and now["invoice_id"]
    order_now = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert order_now["status"] == "paid"
    assert stripe_server.intent(payment["gateway_payment_id"])["status"] == "succeeded"
    # The late webhook changes nothing.
    assert deliver(client, "payment_intent.succeeded", intent).status_code == 200
    assert [p.status for p in db.session.scalars(select(Payment))] == ["succeeded"]


def test_no_transaction_is_open_during_the_cancel_call(client, stripe_server, monkeypatch):
    from app.payments import stripe_gateway

    seen = []
    real = stripe_gateway.cancel

    def watched(*args, **kwargs):
        seen.append(db.session().in_transaction())
        return real(*args, **kwargs)

    monkeypatch.setattr(stripe_gateway, "cancel", watched)
    headers, _, payment = awaiting_3ds(client, stripe_server)
    assert _cancel(client, headers, payment["id"], key=new_key()).status_code == 200
    assert seen == [False]


def test_an_abandoned_paypal_approval_is_cancelled_and_never_captured(client, paypal):
    _, headers = customer(client)
    order = place_order(client, headers)
    first = pay(client, headers, order, method="paypal", key=new_key()).get_json()
    paypal.approve(first["gateway_payment_id"])  # approved, then the buyer left

    resp = _cancel(client, headers, first["id"], key=new_key())
    assert resp.status_code == 200 and resp.get_json()["status"] == "cancelled"
    capture = client.post(f"/api/v1/payments/{first['id']}/capture", headers=headers)
    assert capture.status_code == 409, capture.get_json()
    second = pay(client, headers, order, method="paypal", key=new_key())
    assert second.status_code == 201 and second.get_json()["status"] == "requires_action"


def test_a_paypal_payment_captured_meanwhile_ends_succeeded(client, paypal):
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order, method="paypal", key=new_key()).get_json()
    paypal.approve(payment["gateway_payment_id"])
    paypal.capture(payment["gateway_payment_id"])  # another request captured it

    resp = _cancel(client, headers, payment["id"])
    assert resp.status_code == 409, resp.get_json()
    assert db.session.get(Payment, uuid.UUID(payment["id"])).status == "succeeded"
    order_now = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert order_now["status"] == "paid"
