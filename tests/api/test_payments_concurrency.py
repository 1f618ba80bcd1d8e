"""Payments through the multi-process server (gunicorn, 2 workers) on PostgreSQL, with
the stripe SDK against localstripe: one Idempotency-Key sent 20 times at once makes one
PaymentIntent and one payment; concurrent refunds never exceed what was captured; a
worker killed between the gateway call and its commit is healed by the retry (same
PaymentIntent) and by the webhook; the whole flow with localstripe sending the webhook."""
import time
import uuid

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.idempotency.models import IdempotencyRecord
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import Payment, Refund
from tests.factories import PASSWORD, bearer
from tests.live import fire_at_once as _fire, web_server
from tests.orders_support import order_body, product
from tests.stripe_server import API_KEY, WEBHOOK_SECRET, StripeProxy

pytestmark = pytest.mark.usefixtures("tax_rates")


def _env(stripe_url: str, **extra) -> dict:
    return {"STRIPE_API_KEY": API_KEY, "STRIPE_API_BASE": stripe_url,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, **extra}


def _customer(base, factories) -> dict:
    user = factories.user()
    token = requests.post(f"{base}/api/v1/auth/login",
                          json={"email": user.email, "password": PASSWORD}).json()["access_token"]
    return bearer(token)


def _order(base, headers) -> dict:
    resp = requests.post(f"{base}/api/v1/orders", headers=headers,
                         json=order_body((product(price=2500), 3)))
    assert resp.status_code == 201, resp.text
    return resp.json()


def _pay_body(order) -> dict:
    return {"order_id": order["id"], "amount": order["total_amount"], "currency": order["currency"]}


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_one_key_twenty_times_at_once_one_intent_one_payment(pg_app, factories, localstripe):
    with web_server(pg_app, workers=2, extra_env=_env(localstripe.url)) as base:
        headers = _customer(base, factories)
        order = _order(base, headers)
        keyed = {**headers, "Idempotency-Key": "pay-once"}
        responses = _fire(20, lambda i: requests.post(
            f"{base}/api/v1/payments", json=_pay_body(order), headers=keyed, timeout=60))
        after = requests.post(f"{base}/api/v1/payments", json=_pay_body(order), headers=keyed,
                              timeout=60)
    statuses = [r.status_code for r in responses]
    # The first creates; the others wait for its claim, then answer "in progress" (409,
    # retry) or, once it is done, replay its answer.
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, statuses
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert after.status_code == 201 and created == {after.json()["id"]}
    assert len(localstripe.intents()) == 1
    assert localstripe.intents()[0]["metadata"]["payment_id"] == after.json()["id"]
    assert _count(Payment) == 1


def test_twenty_keys_at_once_for_one_order_open_one_payment(pg_app, factories, localstripe):
    """Twenty tabs paying one order at once, each with its own key (3-D Secure card, so
    each payment would stay open): one PaymentIntent and one payment; the rest 409."""
    with web_server(pg_app, workers=2, extra_env=_env(localstripe.url)) as base:
        headers = _customer(base, factories)
        order = _order(base, headers)
        card = localstripe.card("4000002760003184")
        responses = _fire(20, lambda i: requests.post(
            f"{base}/api/v1/payments", json={**_pay_body(order), "payment_method": card},
            headers={**headers, "Idempotency-Key": f"tab-{i}"}, timeout=60))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, statuses
    assert len(localstripe.intents()) == 1 and _count(Payment) == 1


def test_concurrent_refunds_never_exceed_the_captured_amount(pg_app, factories, localstripe):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    partner = bearer(secret)
    with web_server(pg_app, workers=2, extra_env=_env(localstripe.url)) as base:
        headers = _customer(base, factories)
        order = _order(base, headers)
        paid = requests.post(f"{base}/api/v1/payments", headers=headers, json={
            **_pay_body(order), "payment_method": localstripe.card()}).json()
        assert paid["status"] == "succeeded", paid
        tenth = paid["amount"] // 10
        responses = _fire(20, lambda i: requests.post(
            f"{base}/api/v1/payments/{paid['id']}/refunds", headers=partner,
            json={"amount": tenth, "reason": f"r{i}"}, timeout=60))
        pair = _fire(2, lambda i: requests.post(
            f"{base}/api/v1/payments/{paid['id']}/refunds", headers=partner, json={}, timeout=60))
        after = requests.get(f"{base}/api/v1/payments/{paid['id']}", headers=partner).json()
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 10 and set(statuses) <= {201, 409, 422}, statuses
    assert sorted(r.status_code for r in pair) == [409, 409]  # nothing left for either
    assert after["amount_refunded"] == paid["amount"] == 9000 and after["status"] == "refunded"
    assert sum(r["amount"] for r in localstripe.refunds()) == 9000
    db.session.expire_all()
    notes = db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == uuid.UUID(paid["invoice_id"]))).all()
    assert len(notes) == 10 and -sum(n.total_amount for n in notes) == 9000
    assert _count(Refund) == 10
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "refunded"


def test_a_held_credit_note_paid_out_ten_times_at_once_is_paid_out_once(
        pg_app, factories, localstripe):
    """Ten refunds that each pay out the same held credit note, at once, through two
    worker processes: one is made; the rest are refused; the invoice is credited once."""
    _, secret = factories.api_key(scopes=["payments:write", "payments:read", "invoices:write"])
    partner = bearer(secret)
    with web_server(pg_app, workers=2, extra_env=_env(localstripe.url)) as base:
        headers = _customer(base, factories)
        order = _order(base, headers)
        paid = requests.post(f"{base}/api/v1/payments", headers=headers, json={
            **_pay_body(order), "payment_method": localstripe.card()}).json()
        assert paid["status"] == "succeeded", paid
        note = requests.post(f"{base}/api/v1/invoices/{paid['invoice_id']}/credit-notes",
                             headers=partner, json={"amount": 2500, "reason": "Goodwill"})
        assert note.status_code == 201, note.text
        responses = _fire(10, lambda i: requests.post(
            f"{base}/api/v1/payments/{paid['id']}/refunds", headers=partner,
            json={"credit_note_id": note.json()["id"], "reason": f"r{i}"}, timeout=60))
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1 and statuses.count(409) == 9, statuses
    assert [r["amount"] for r in localstripe.refunds()] == [2500]
    db.session.expire_all()
    invoice = db.session.get(Invoice, uuid.UUID(paid["invoice_id"]))
    assert invoice.amount_credited == 2500
    assert _count(Refund) == 1 and db.session.scalar(select(func.count()).where(
        Invoice.credit_note_for_id == invoice.id)) == 1


def test_ten_returns_of_one_unit_at_once_refund_only_the_three_bought(
        pg_app, factories, localstripe):
    """3 units bought; ten refunds of one returned unit each, at once, through two worker
    processes: three are made (the units of pending refunds are reserved), three credit
    notes credit one unit each, and the line is credited exactly once in full."""
    _, secret = factories.api_key(scopes=["payments:write", "payments:read", "invoices:read"])
    partner = bearer(secret)
    with web_server(pg_app, workers=2, extra_env=_env(localstripe.url)) as base:
        headers = _customer(base, factories)
        order = _order(base, headers)  # 3 units at 25.00
        paid = requests.post(f"{base}/api/v1/payments", headers=headers, json={
            **_pay_body(order), "payment_method": localstripe.card()}).json()
        assert paid["status"] == "succeeded", paid
        line = requests.get(f"{base}/api/v1/invoices/{paid['invoice_id']}",
                            headers=partner).json()["lines"][0]
        responses = _fire(10, lambda i: requests.post(
            f"{base}/api/v1/payments/{paid['id']}/refunds", headers=partner,
            json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": f"r{i}"},
            timeout=60))
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 3 and set(statuses) <= {201, 409, 422}, statuses
    assert sum(r["amount"] for r in localstripe.refunds()) == paid["amount"]
    db.session.expire_all()
    notes = db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == uuid.UUID(paid["invoice_id"]))).all()
    assert sorted(n.lines[0].quantity for n in notes) == [1, 1, 1]
    assert -sum(n.total_amount for n in notes) == paid["amount"]


def test_a_worker_killed_between_gateway_call_and_commit_is_healed(pg_app, factories,
                                                                    localstripe):
    """The PaymentIntent exists at Stripe, our transaction 2 never committed. The retry
    with the same key (after the lease) asks Stripe again with the same idempotency key
    (the proxy gives Stripe's replay, which localstripe lacks) and gets the same
    PaymentIntent; the webhook finds the payment by the id in the intent's metadata."""
    proxy = StripeProxy(localstripe.url).start()
    env = _env(proxy.url, TEST_CRASH_HOOK="1", PAYMENT_RESUME_AFTER_SECONDS="2")
    try:
        with web_server(pg_app, workers=2, extra_env=env) as base:
            localstripe.send_webhooks_to(f"{base}/api/v1/webhooks/stripe")
            customer = _customer(base, factories)
            order = _order(base, customer)
            headers = {**customer, "Idempotency-Key": "crash-after-charge"}
            with pytest.raises(requests.ConnectionError):
                requests.post(f"{base}/api/v1/payments", json=_pay_body(order), timeout=60,
                              headers={**headers, "X-Test-Crash": "before-commit"})
            [intent] = localstripe.intents()
            db.session.expire_all()
            [payment] = db.session.scalars(select(Payment)).all()
            assert payment.gateway_payment_id is None and payment.status == "pending"
            assert intent["metadata"]["payment_id"] == str(payment.id)
            db.session.rollback()
            soon = requests.post(f"{base}/api/v1/payments", json=_pay_body(order),
                                 headers=headers, timeout=60)
            assert soon.status_code == 409  # within the lease: still in progress
            time.sleep(2.5)
            retry = requests.post(f"{base}/api/v1/payments", json=_pay_body(order),
                                  headers=headers, timeout=60)
            assert retry.status_code == 201, retry.text
            assert retry.json()["id"] == str(payment.id)
            assert retry.json()["gateway_payment_id"] == intent["id"]
            assert retry.json()["client_secret"] == intent["client_secret"]
            assert len(localstripe.intents()) == 1
            # The customer confirms; localstripe itself sends the signed webhook.
            localstripe.confirm(intent["id"])
            order_now = _wait_for(lambda: requests.get(
                f"{base}/api/v1/orders/{order['id']}", headers=headers).json(),
                lambda o: o["status"] == "paid")
    finally:
        proxy.stop()
    assert order_now["payment_reference"] == intent["id"]
    db.session.expire_all()
    [payment] = db.session.scalars(select(Payment)).all()
    invoice = db.session.get(Invoice, payment.invoice_id)
    assert payment.status == "succeeded" and invoice.status == "paid"
    assert invoice.total_amount == order["total_amount"] == payment.amount
    assert _count(IdempotencyRecord) == 1


def _wait_for(read, done, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)
