"""Fraud screening reads the card as Stripe tells it (localstripe: every card is issued
in FR, and its fingerprint is the same for every PaymentMethod of one card number):
kept on a saved card when it is saved, read from Stripe before a new card is charged
server-side, and read from the PaymentIntent when the app confirmed it itself, so card
rules, allow/block lists and failed payments by card work across customers."""
import uuid

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.extensions import db
from app.fraud import lists, rule_edits, velocity
from app.fraud.models import FraudCheck, FraudReview
from app.orders.models import Order
from app.payments.method_models import PaymentMethod
from app.payments.models import Payment
from tests.invoice_support import act
from tests.payments_support import customer, deliver, new_key, pay, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")

ADMIN = Actor(kind="staff", id=uuid.uuid4(), label="ada@test", role="admin")
GOOD = "4242424242424242"
DECLINED = "4000000000000341"  # localstripe: saved fine, declined when charged


def rule(name, expression, action, position=100):
    change = act(rule_edits.propose, None, {"name": name, "expression": expression,
                                            "action": action, "position": position,
                                            "enabled": True}, actor=ADMIN)
    assert change.status == "applied"


def save_card(client, headers, stripe_server, number=GOOD) -> tuple[dict, str]:
    setup = client.post("/api/v1/customers/me/setup-intents", headers=headers).get_json()
    pm = stripe_server.confirm_setup(setup, number)
    resp = client.post("/api/v1/customers/me/payment-methods", json={"payment_method": pm},
                       headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json(), pm


def payment_check(payment_id) -> FraudCheck:
    return db.session.scalars(select(FraudCheck).where(
        FraudCheck.payment_id == uuid.UUID(str(payment_id)))).one()


def test_a_saved_card_issued_abroad_sends_the_payment_to_review(client, stripe_server):
    rule("Card abroad", 'stage == "payment" and card_country != billing_country', "review")
    _, headers = customer(client)
    saved, pm = save_card(client, headers, stripe_server)
    told = stripe_server.payment_method(pm)["card"]
    method = db.session.get(PaymentMethod, uuid.UUID(saved["id"]))
    assert (method.card_country, method.card_fingerprint) == ("FR", told["fingerprint"])

    order = place_order(client, headers)  # billed to GB
    placed = db.session.scalars(select(FraudCheck).where(FraudCheck.stage == "order")).one()
    assert (placed.action, placed.attributes["card_country"]) == ("allow", None)

    resp = pay(client, headers, order, key=new_key(), payment_method_id=saved["id"])
    assert resp.status_code == 409 and resp.get_json()["errors"] == {"order_id": ["under_review"]}
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.status, payment.gateway_payment_id) == ("cancelled", None)
    assert stripe_server.intents() == []  # Stripe was never asked for money
    check = payment_check(payment.id)
    assert (check.action, check.rule_name) == ("review", "Card abroad")
    assert (check.attributes["card_country"], check.attributes["card_fingerprint"]) == \
        ("FR", told["fingerprint"])
    assert "card_billing_mismatch" in check.signals
    assert db.session.scalars(select(FraudReview)).one().order_id == payment.order_id


def test_a_card_saved_before_its_details_were_kept_is_read_from_stripe(client, stripe_server):
    rule("Card abroad", 'stage == "payment" and card_country != billing_country', "review")
    _, headers = customer(client)
    saved, pm = save_card(client, headers, stripe_server)
    method = db.session.get(PaymentMethod, uuid.UUID(saved["id"]))
    method.card_country = method.card_fingerprint = None  # as the migration left old rows
    db.session.commit()

    order = place_order(client, headers)
    resp = pay(client, headers, order, key=new_key(), payment_method_id=saved["id"])
    assert resp.status_code == 409, resp.get_json()
    fingerprint = stripe_server.payment_method(pm)["card"]["fingerprint"]
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.card_country, payment.card_fingerprint) == ("FR", fingerprint)
    assert payment_check(payment.id).attributes["card_country"] == "FR"
    assert stripe_server.intents() == []
    db.session.expire_all()
    method = db.session.get(PaymentMethod, uuid.UUID(saved["id"]))
    assert (method.card_country, method.card_fingerprint) == ("FR", fingerprint)


def test_a_block_listed_card_fingerprint_blocks_whoever_holds_the_card(client, stripe_server):
    fingerprint = stripe_server.payment_method(stripe_server.card(DECLINED))["card"]["fingerprint"]
    act(lists.add, "block", fingerprint, note="chargebacks", actor=ADMIN)
    _, headers = customer(client)
    order = place_order(client, headers)

    # A new card the app created with Stripe.js, charged at once server-side: a
    # PaymentMethod of its own, the same card, so the same fingerprint.
    resp = pay(client, headers, order, key=new_key(), payment_method=stripe_server.card(DECLINED))
    assert resp.status_code == 402 and resp.get_json()["errors"]["decline_code"] == ["blocked"]
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.status, payment.failure_code, payment.card_fingerprint) == \
        ("failed", "fraud_blocked", fingerprint)
    assert stripe_server.intents() == []
    check = payment_check(payment.id)
    assert (check.action, check.attributes["on_blocklist"]) == ("block", True)
    assert db.session.get(Order, payment.order_id).status == "cancelled"

    # Somebody else with another card is not on the list.
    _, other = customer(client)
    fine = pay(client, other, place_order(client, other), key=new_key(),
               payment_method=stripe_server.card(GOOD))
    assert fine.status_code == 201 and fine.get_json()["status"] == "succeeded", fine.get_json()


def test_failed_payments_of_one_card_by_two_customers_trip_the_card_velocity_rule(
        client, stripe_server):
    rule("Card failing everywhere", "failed_payments_per_card_24h >= 2", "block", position=10)
    fingerprint = stripe_server.payment_method(stripe_server.card(DECLINED))["card"]["fingerprint"]

    # Ann's card is declined when charged server-side (its card read before the charge).
    _, ann = customer(client)
    declined = pay(client, ann, place_order(client, ann), key=new_key(),
                   payment_method=stripe_server.card(DECLINED))
    assert declined.status_code == 402 and declined.get_json()["errors"]["decline_code"] == \
        ["card_declined"], declined.get_json()
    assert velocity.read({"card": fingerprint})["failed_payments_per_card_24h"] == 1

    # Bob confirms in the app (Stripe.js): only the webhook tells us it failed, and the
    # card is read from the PaymentIntent.
    _, bob = customer(client)
    bob_order = place_order(client, bob)
    opened = pay(client, bob, bob_order, key=new_key()).get_json()
    assert opened["status"] == "pending", opened
    stripe_server.confirm(opened["gateway_payment_id"], DECLINED)
    intent = stripe_server.intent(opened["gateway_payment_id"])
    assert intent["last_payment_error"]["code"] == "card_declined"
    assert deliver(client, "payment_intent.payment_failed", intent).status_code == 200
    failed = db.session.get(Payment, uuid.UUID(opened["id"]))
    assert (failed.status, failed.card_fingerprint, failed.card_country) == \
        ("failed", fingerprint, "FR")
    assert velocity.read({"card": fingerprint})["failed_payments_per_card_24h"] == 2
    # Per customer, each failed once: only the card ties them together.
    assert velocity.read({"customer": str(failed.customer_id)})[
        "failed_payments_per_customer_24h"] == 1

    # Bob's own other card still goes through; the failing card is blocked for anyone.
    intents = len(stripe_server.intents())
    _, cy = customer(client)
    blocked = pay(client, cy, place_order(client, cy), key=new_key(),
                  payment_method=stripe_server.card(DECLINED))
    assert blocked.status_code == 402 and blocked.get_json()["errors"]["decline_code"] == \
        ["blocked"], blocked.get_json()
    assert len(stripe_server.intents()) == intents
    check = db.session.scalars(select(FraudCheck).where(FraudCheck.action == "block")).one()
    assert (check.rule_name, check.attributes["failed_payments_per_card_24h"]) == \
        ("Card failing everywhere", 2)
    paid = pay(client, bob, bob_order, key=new_key(), payment_method=stripe_server.card(GOOD))
    assert paid.status_code == 201 and paid.get_json()["status"] == "succeeded", paid.get_json()
