"""Reconciliation (jobs.periodic.reconcile_payments) against localstripe and the fake
PayPal (tests/paypal_server.py): a dropped webhook is healed through the webhook's own
service function; a tampered amount, an unknown charge or refund become report rows."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Payment
from app.payments.reconciliation_models import ReconciliationItem
from jobs.periodic import SCHEDULE, reconcile_payments
from tests.payments_support import customer, new_key, pay, paid_order, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")


def _items():
    db.session.expire_all()
    return {(i.gateway, i.issue): i for i in db.session.scalars(select(ReconciliationItem))}


def _payment(payment_id) -> Payment:
    db.session.expire_all()
    return db.session.get(Payment, uuid.UUID(payment_id))


def test_it_is_scheduled_hourly(app):
    assert any(p.func == "jobs.periodic.reconcile_payments" and p.every_seconds == 3600
               for p in SCHEDULE)


def test_a_dropped_stripe_webhook_is_healed(client, stripe_server, smtp):
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order).get_json()
    stripe_server.confirm(payment["gateway_payment_id"])  # succeeded; the webhook is lost
    assert _payment(payment["id"]).status == "pending"

    assert reconcile_payments()["stripe"]["healed_missed_webhook"] == 1
    healed = _payment(payment["id"])
    assert healed.status == "succeeded" and healed.invoice_id is not None
    invoice = db.session.get(Invoice, healed.invoice_id)
    assert invoice.status == "paid" and invoice.total_amount == order["total_amount"]
    assert any(m["Subject"].startswith("Receipt") for m in smtp.wait_for(2))
    item = _items()[("stripe", "healed_missed_webhook")]
    assert (item.payment_id, item.ours, item.theirs) == (healed.id, "pending", "succeeded")

    # The next run finds nothing more to do, and reports nothing new.
    assert reconcile_payments()["stripe"] == {"ok": 1}
    assert len(_items()) == 1


def test_unknown_stripe_charges_and_refunds_are_reported(client, stripe_server):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    # Money moved at Stripe behind our back: a charge and a refund we never made.
    stranger = stripe_server.session.post(f"{stripe_server.url}/v1/payment_intents", json={
        "amount": 1234, "currency": "gbp", "payment_method_types": ["card"]}).json()
    stripe_server.confirm(stranger["id"])
    stripe_server.session.post(f"{stripe_server.url}/v1/refunds", json={
        "payment_intent": payment["gateway_payment_id"], "amount": 100}).raise_for_status()

    counts = reconcile_payments()["stripe"]
    assert counts["unknown_payment"] == 1 and counts["unknown_refund"] == 1
    items = _items()
    assert items[("stripe", "unknown_payment")].gateway_object_id == stranger["id"]
    assert items[("stripe", "unknown_payment")].theirs == "1234 GBP"
    assert items[("stripe", "unknown_refund")].theirs == "100 GBP"
    assert _payment(payment["id"]).amount_refunded == 0  # reported, not applied

    reconcile_payments()
    assert _items()[("stripe", "unknown_payment")].times_seen == 2
    assert len(_items()) == 2


def test_a_dropped_paypal_capture_webhook_is_healed(client, paypal):
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order, method="paypal", key=new_key()).get_json()
    paypal.approve(payment["gateway_payment_id"])
    # Captured at PayPal (the capture's answer and its webhook both lost).
    paypal.route("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture", {})

    assert reconcile_payments()["paypal"]["healed_missed_webhook"] == 1
    healed = _payment(payment["id"])
    assert healed.status == "succeeded" and healed.invoice_id is not None
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "paid"


def test_a_tampered_paypal_amount_is_reported_not_healed(client, paypal):
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order, method="paypal", key=new_key()).get_json()
    paypal.approve(payment["gateway_payment_id"])
    paypal.route("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture", {})
    paypal.tamper(payment["gateway_payment_id"], "89.99")

    assert reconcile_payments()["paypal"] == {"amount_mismatch": 1}
    item = _items()[("paypal", "amount_mismatch")]
    assert (item.ours, item.theirs) == ("9000 GBP", "8999 GBP")
    assert "-1 minor units" in item.detail
    assert item.payment_id == uuid.UUID(payment["id"])
    assert _payment(payment["id"]).status == "requires_action"  # a person decides


def test_unconfigured_gateways_are_skipped(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_API_KEY", None)
    assert reconcile_payments() == {}
