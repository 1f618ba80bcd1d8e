"""Inbound Stripe webhooks, signed with the real algorithm (HMAC-SHA256 over
't.body', header t=...,v1=...) and the tests' endpoint secret: stored once, applied by
a job (inline after commit here), only ever moving state forward."""
import json
import time
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.events.models import OutboxEvent
from app.payments.models import GatewayEvent, Payment
from tests.payments_support import customer, deliver, pay, place_order
from tests.stripe_server import event, sign

pytestmark = pytest.mark.usefixtures("tax_rates")


def _state(client, headers, payment_id, order_id):
    payment = client.get(f"/api/v1/payments/{payment_id}", headers=headers).get_json()
    order = client.get(f"/api/v1/orders/{order_id}", headers=headers).get_json()
    invoices = client.get("/api/v1/invoices", headers=headers).get_json()["data"]
    return (payment["status"], payment["invoice_id"], payment["failure_code"], order["status"],
            [(i["status"], i["total_amount"]) for i in invoices])


def _pending(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order).get_json()
    return headers, order, payment


def test_the_same_webhook_five_times_is_applied_once(client, stripe_server):
    headers, order, payment = _pending(client, stripe_server)
    intent = stripe_server.confirm(payment["gateway_payment_id"])
    answers = [deliver(client, "payment_intent.succeeded", intent, event_id="evt_same")
               for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert [a.get_json()["duplicate"] for a in answers] == [False, True, True, True, True]
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 1
    assert _state(client, headers, payment["id"], order["id"]) == (
        "succeeded", payment_invoice(payment["id"]), None, "paid", [("paid", 9000)])


def payment_invoice(payment_id):
    db.session.expire_all()
    return str(db.session.get(Payment, uuid.UUID(payment_id)).invoice_id)


@pytest.mark.parametrize("order_of_events", [
    ("requires_action", "payment_failed", "succeeded"),
    ("succeeded", "payment_failed", "requires_action"),
    ("payment_failed", "succeeded", "requires_action"),
    ("succeeded", "requires_action", "payment_failed", "succeeded"),
])
def test_events_in_any_order_end_in_the_same_state(client, stripe_server, order_of_events):
    headers, order, payment = _pending(client, stripe_server)
    intent = stripe_server.intent(payment["gateway_payment_id"])
    bodies = {
        "requires_action": {**intent, "status": "requires_action",
                            "next_action": {"type": "use_stripe_sdk"}},
        "payment_failed": {**intent, "status": "requires_payment_method",
                           "last_payment_error": {"code": "card_declined", "message": "No."}},
        "succeeded": stripe_server.confirm(intent["id"]),
    }
    for n, name in enumerate(order_of_events):
        resp = deliver(client, f"payment_intent.{name}", bodies[name], event_id=f"evt_{name}",
                       created=int(time.time()) - 100 + n)
        assert resp.status_code == 200
    status, invoice_id, failure, order_status, invoices = _state(
        client, headers, payment["id"], order["id"])
    assert (status, failure, order_status, invoices) == (
        "succeeded", None, "paid", [("paid", 9000)])


def test_a_bad_signature_is_400_and_changes_nothing(client, stripe_server):
    headers, order, payment = _pending(client, stripe_server)
    intent = stripe_server.confirm(payment["gateway_payment_id"])
    payload = event("payment_intent.succeeded", intent)
    before = db.session.scalar(select(func.count()).select_from(OutboxEvent))
    for signature in (sign(payload, secret="whsec_someone_else"), None, "", "t=1,v1=abc",
                      "garbage", sign(payload, timestamp=int(time.time()) - 3600)):
        resp = client.post("/api/v1/webhooks/stripe", data=payload, headers={
            "Content-Type": "application/json", **({"Stripe-Signature": signature}
                                                   if signature is not None else {})})
        assert resp.status_code == 400, (signature, resp.get_json())
        assert set(resp.get_json()) >= {"code", "status", "message", "request_id"}
    tampered = payload.replace(b'"amount": 9000', b'"amount": 1')
    resp = client.post("/api/v1/webhooks/stripe", data=tampered, headers={
        "Stripe-Signature": sign(payload), "Content-Type": "application/json"})
    assert resp.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == before
    assert _state(client, headers, payment["id"], order["id"])[::3] == ("pending", "pending_payment")


@pytest.mark.parametrize("payload, status", [
    (b"not json", 400), (b"", 400), (b"[]", 422),
    (json.dumps({"id": 5, "type": None}).encode(), 422),
    (json.dumps({"type": "payment_intent.succeeded", "data": {}}).encode(), 422),
])
def test_malformed_payloads_are_refused(client, payload, status):
    resp = client.post("/api/v1/webhooks/stripe", data=payload, headers={
        "Stripe-Signature": sign(payload), "Content-Type": "application/json"})
    assert resp.status_code == status, (payload, resp.get_json())
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 0


def test_unknown_types_and_payments_are_acknowledged_and_ignored(client, stripe_server, caplog):
    resp = deliver(client, "customer.created", {"id": "cus_1", "object": "customer"})
    assert resp.status_code == 200
    unknown = deliver(client, "payment_intent.succeeded",
                      {"id": "pi_nobody", "object": "payment_intent", "status": "succeeded",
                       "metadata": {}})
    assert unknown.status_code == 200
    outcomes = sorted(db.session.scalars(select(GatewayEvent.outcome)))
    assert outcomes == ["ignored: unhandled type", "ignored: unknown payment"]
    assert all(db.session.scalars(select(GatewayEvent.processed_at)))


def test_without_a_webhook_secret_503(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", None)
    payload = event("payment_intent.succeeded", {"id": "pi_1"})
    resp = client.post("/api/v1/webhooks/stripe", data=payload,
                       headers={"Stripe-Signature": sign(payload)})
    assert resp.status_code == 503 and "STRIPE_WEBHOOK_SECRET" in resp.get_json()["message"]
