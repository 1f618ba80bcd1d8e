"""Gateway faults: Stripe unreachable (a localstripe that was stopped) answers a clear
503, charges nothing and leaves the payment pending with the reason (failed when the
request cannot be retried under a key); a 500 then success (a proxy in front of
localstripe) is retried by the SDK and charges once."""
import time
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.payments.models import Payment, Refund
from tests.factories import bearer
from tests.payments_support import customer, new_key, paid_order, pay, place_order, refund
from tests.stripe_server import LocalStripe, StripeProxy

pytestmark = pytest.mark.usefixtures("tax_rates")


@pytest.fixture
def stopped(app, monkeypatch, stripe_server):
    """A localstripe that answered once and was then stopped: connections are refused."""
    gone = LocalStripe().start()
    gone.stop()
    return lambda: monkeypatch.setitem(app.config, "STRIPE_API_BASE", gone.url)


@pytest.fixture
def proxy(app, monkeypatch, stripe_server):
    server = StripeProxy(stripe_server.url).start()
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", server.url)
    try:
        yield server
    finally:
        server.stop()


def test_unreachable_gateway_is_503_and_a_retry_with_the_key_charges_once(
        client, app, monkeypatch, stripe_server, stopped):
    _, headers = customer(client)
    order = place_order(client, headers)
    stopped()
    key = new_key()
    started = time.monotonic()
    resp = pay(client, headers, order, key=key)
    assert resp.status_code == 503, resp.get_json()
    assert time.monotonic() - started < 15  # three retries with backoff, then an answer
    body = resp.get_json()
    assert body["code"] == 503 and "could not be reached" in body["message"]
    payment = db.session.scalars(select(Payment)).one()
    assert payment.status == "pending" and payment.failure_code == "gateway_unavailable"
    assert payment.gateway_payment_id is None and stripe_server.intents() == []

    monkeypatch.setitem(app.config, "STRIPE_API_BASE", stripe_server.url)
    again = pay(client, headers, order, key=key)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["id"] == str(payment.id)
    assert len(stripe_server.intents()) == 1


def test_unreachable_gateway_without_a_key_fails_the_payment(client, stripe_server, stopped):
    _, headers = customer(client)
    order = place_order(client, headers)
    stopped()
    assert pay(client, headers, order).status_code == 503
    payment = db.session.scalars(select(Payment)).one()
    assert payment.status == "failed" and payment.failure_code == "gateway_unavailable"
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()["status"] == \
        "pending_payment"


def test_a_500_then_success_charges_once(client, stripe_server, proxy):
    _, headers = customer(client)
    order = place_order(client, headers)
    proxy.fail_next(1)
    resp = pay(client, headers, order, key=new_key())
    assert resp.status_code == 201, resp.get_json()
    assert [p for m, p in proxy.seen if m == "POST"] == ["/v1/payment_intents"] * 2
    assert len(stripe_server.intents()) == 1


def test_a_decline_is_never_retried(client, stripe_server, proxy):
    _, headers = customer(client)
    order = place_order(client, headers)
    card = stripe_server.card("4000000000000341")
    assert pay(client, headers, order, payment_method=card).status_code == 402
    assert [p for m, p in proxy.seen if m == "POST"] == ["/v1/payment_intents"]


def test_refund_with_the_gateway_down(client, app, monkeypatch, stripe_server, stopped,
                                      factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    partner = bearer(secret)
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    stopped()
    key = new_key()
    assert refund(client, partner, payment["id"], key=key, amount=1000).status_code == 503
    pending = db.session.scalars(select(Refund)).one()
    assert pending.status == "pending" and pending.failure_code == "gateway_unavailable"
    reserved = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert reserved["amount_refundable"] == payment["amount"] - 1000  # held, never doubled
    assert refund(client, partner, payment["id"]).status_code == 503  # no key: failed
    failed = db.session.scalars(select(Refund).where(Refund.id != pending.id)).one()
    assert failed.status == "failed"

    monkeypatch.setitem(app.config, "STRIPE_API_BASE", stripe_server.url)
    done = refund(client, partner, payment["id"], key=key, amount=1000)
    assert done.status_code == 201 and done.get_json()["id"] == str(pending.id)
    assert [r["amount"] for r in stripe_server.refunds()] == [1000]
    after = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert after["amount_refunded"] == 1000 and after["amount_refundable"] == payment["amount"] - 1000
    assert db.session.get(Refund, uuid.UUID(done.get_json()["id"])).credit_note_id is not None


def test_a_pending_refund_is_settled_by_its_webhook(client, stripe_server, stopped, factories):
    """Stripe may answer a refund as pending (or our answer was lost): its refund.updated
    webhook settles it, found by our id in the refund's metadata; repeated, nothing more."""
    from tests.payments_support import deliver

    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    partner = bearer(secret)
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    stopped()
    assert refund(client, partner, payment["id"], key=new_key(), amount=2500).status_code == 503
    pending = db.session.scalars(select(Refund)).one()
    gateway_refund = {"id": "re_from_stripe", "object": "refund", "amount": 2500,
                      "currency": "gbp", "status": "succeeded",
                      "payment_intent": payment["gateway_payment_id"],
                      "metadata": {"refund_id": str(pending.id), "payment_id": payment["id"]}}
    for _ in range(2):
        assert deliver(client, "refund.updated", gateway_refund,
                       event_id="evt_refund_done").status_code == 200
    db.session.expire_all()
    settled = db.session.get(Refund, pending.id)
    assert settled.status == "succeeded" and settled.gateway_refund_id == "re_from_stripe"
    assert settled.credit_note_id is not None
    after = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert after["amount_refunded"] == 2500
    assert after["amount_refundable"] == payment["amount"] - 2500
    failed_late = {**gateway_refund, "status": "failed"}
    deliver(client, "refund.updated", failed_late, event_id="evt_refund_late")
    db.session.expire_all()
    assert db.session.get(Refund, pending.id).status == "succeeded"  # only forward


def test_reading_a_new_card_with_the_gateway_down_charges_nothing_and_resumes(
        client, app, monkeypatch, stripe_server, stopped):
    """A card the app created is read from Stripe before it is screened; Stripe down at
    that moment is the same 503 as at the charge, and the retry screens and charges once."""
    from app.fraud.models import FraudCheck

    _, headers = customer(client)
    order = place_order(client, headers)
    card = stripe_server.card()
    stopped()
    key = new_key()
    assert pay(client, headers, order, key=key, payment_method=card).status_code == 503
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.status, payment.failure_code) == ("pending", "gateway_unavailable")
    assert db.session.scalar(select(FraudCheck.id).where(
        FraudCheck.payment_id == payment.id)) is None

    monkeypatch.setitem(app.config, "STRIPE_API_BASE", stripe_server.url)
    again = pay(client, headers, order, key=key, payment_method=card)
    assert again.status_code == 201 and again.get_json()["status"] == "succeeded", \
        again.get_json()
    check = db.session.scalars(select(FraudCheck).where(
        FraudCheck.payment_id == payment.id)).one()
    assert check.attributes["card_fingerprint"] == \
        stripe_server.payment_method(card)["card"]["fingerprint"]
    assert len(stripe_server.intents()) == 1

    other, other_card = place_order(client, headers), stripe_server.card()
    stopped()  # no Idempotency-Key: the request cannot be resumed, so the payment fails
    assert pay(client, headers, other, payment_method=other_card).status_code == 503
    failed = db.session.scalars(select(Payment).where(Payment.id != payment.id)).one()
    assert (failed.status, failed.failure_code) == ("failed", "gateway_unavailable")
