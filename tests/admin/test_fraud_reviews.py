"""Fraud screening end to end, through the API and the back office: an order held for
review (the owner sees only "under review"), a live alert to staff, decided once with a
reason; a block at placement or before the charge cancels the order; a rejected paid
order is refunded at localstripe."""
import uuid

import pytest
from sqlalchemy import select

from api.orders.schemas import OrderSchema
from app.audit.models import AuditEntry
from app.core.actor import Actor
from app.events.models import OutboxEvent
from app.extensions import db
from app.fraud import checks, engine, lists, rule_edits
from app.fraud.models import FraudCheck, FraudReview
from app.live import NAMESPACE, socketio_for
from app.orders.models import Order
from app.payments.models import Payment, Refund
from tests.invoice_support import act
from tests.payments_support import customer, paid_order, pay, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")

ADMIN = Actor(kind="staff", id=uuid.uuid4(), label="ada@test", role="admin")
QUEUE = "/admin/fraud/reviews/"


def rule(name, expression, action, position=100):
    change = act(rule_edits.propose, None, {"name": name, "expression": expression,
                                            "action": action, "position": position,
                                            "enabled": True}, actor=ADMIN)
    assert change.status == "applied"
    return change


def events(kind) -> list[dict]:
    return [e.payload for e in db.session.scalars(select(OutboxEvent).where(OutboxEvent.type == kind))]


def decide(bo, review_id, decision, reason):
    return bo.post(f"{QUEUE}{review_id}/decide/", {"decision": decision, "reason": reason},
                   token_from=QUEUE)


def _told(smtp, order_id) -> list[str]:
    number = db.session.get(Order, uuid.UUID(order_id)).number
    return [m["Subject"] for m in smtp.wait_for(1, timeout=2)
            if f"#{number} is on its way" in m["Subject"] or f"#{number} was cancelled" in m["Subject"]]


def test_review_flow_through_api_and_back_office(app, client, login_as, stripe_server, smtp):
    rule("Large orders", 'amount > 5000 and currency == "GBP"', "review")
    support, _ = login_as("support")
    with app.app_context():
        live = socketio_for(app).test_client(app, namespace=NAMESPACE,
                                             flask_test_client=support.client)
    live.get_received(NAMESPACE)

    _, headers = customer(client)
    order = place_order(client, headers, quantity=3)  # 90.00 GBP: screened after commit
    review = db.session.scalars(select(FraudReview)).one()
    assert (str(review.order_id), review.status, review.rule_name) == \
        (order["id"], "open", "Large orders")

    alerts = [r["args"][0] for r in live.get_received(NAMESPACE) if r["name"] == "fraud_review"]
    assert [a["order_id"] for a in alerts] == [order["id"]]
    assert events("fraud_review.opened")[0]["order_id"] == order["id"]

    # The owner sees that a person is looking, and nothing of rules or score.
    seen = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert seen["under_review"] is True and seen["status"] == "pending_payment"
    assert set(seen) == set(OrderSchema().fields)
    assert "Large orders" not in str(seen) and "score" not in str(seen)
    listed = client.get("/api/v1/orders", headers=headers).get_json()["data"]
    assert listed[0]["under_review"] is True
    assert OrderSchema().dump(db.session.get(Order, review.order_id)) == seen

    held = pay(client, headers, order, payment_method=stripe_server.card())
    assert held.status_code == 409 and "under review" in held.get_json()["message"]
    assert db.session.scalar(select(Payment.id)) is None

    # Staff: the queue shows it; a reason is required; then decided once.
    page = support.get(QUEUE).get_data(as_text=True)
    assert order["id"][:8] in page and f'id="approve-{review.id}"' in page
    missing = support.get(decide(support, review.id, "approved", "  ").location)
    assert "Required" in missing.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FraudReview, review.id).status == "open"

    done = decide(support, review.id, "approved", "Known customer, phoned")
    assert "Review decided: approved" in support.get(done.location).get_data(as_text=True)
    again = decide(support, review.id, "rejected_fraud", "Changed my mind")
    assert "already decided: approved" in support.get(again.location).get_data(as_text=True)
    db.session.expire_all()
    decided = db.session.get(FraudReview, review.id)
    assert (decided.status, decided.reason) == ("approved", "Known customer, phoned")
    assert db.session.get(Order, decided.order_id).status == "pending_payment"
    assert [e["outcome"] for e in events("order.review_decided")] == ["approved"]
    assert [s.split(" ")[-3:] for s in _told(smtp, order["id"])] == [["on", "its", "way"]]
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "fraud_review.approved")).target_id == str(review.id)

    seen = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert seen["under_review"] is False
    # Cleared by a person: the payment is not screened again, and goes through.
    paid = pay(client, headers, order, payment_method=stripe_server.card())
    assert paid.status_code == 201 and paid.get_json()["status"] == "succeeded", paid.get_json()
    live.disconnect(NAMESPACE)


def test_finance_reads_the_queue_but_does_not_decide(client, login_as):
    rule("Everything", "amount > 0", "review")
    _, headers = customer(client)
    place_order(client, headers)
    review = db.session.scalars(select(FraudReview)).one()
    finance, _ = login_as("finance")
    page = finance.get(QUEUE).get_data(as_text=True)
    assert str(review.order_id)[:8] in page and f'id="approve-{review.id}"' not in page
    assert decide(finance, review.id, "approved", "ok").status_code == 403


def test_rejecting_a_paid_order_cancels_it_and_refunds_the_payment(client, login_as,
                                                                   stripe_server, smtp):
    _, headers = customer(client)
    order, payment = paid_order(client, headers, stripe_server)
    assert {c.stage: c.action for c in db.session.scalars(select(FraudCheck))} == \
        {"order": "allow", "payment": "allow"}
    placed = db.session.get(Order, uuid.UUID(order["id"]))
    review = act(checks.open_review, placed, None, engine.Decision("review", 70))

    admin, _ = login_as("admin")
    done = decide(admin, review.id, "rejected_fraud", "Stolen card reported")
    assert "rejected fraud" in admin.get(done.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Order, placed.id).status == "cancelled"
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.status, refund.amount) == ("succeeded", payment["amount"])
    assert events("order.cancelled_fraud")[0]["order_id"] == order["id"]
    assert [e["outcome"] for e in events("order.review_decided")] == ["rejected"]
    # One message: the order is cancelled (the reason stays with staff).
    assert [s.split(" ")[-2:] for s in _told(smtp, order["id"])] == [["was", "cancelled"]]


THREE_D_SECURE = "4000002760003184"


def _awaiting_3ds(client, stripe_server):
    """An order whose card payment waits for the customer's 3-D Secure, then held."""
    _, headers = customer(client)
    order = place_order(client, headers)
    resp = pay(client, headers, order, payment_method=stripe_server.card(THREE_D_SECURE))
    assert resp.get_json()["status"] == "requires_action", resp.get_json()
    placed = db.session.get(Order, uuid.UUID(order["id"]))
    review = act(checks.open_review, placed, None, engine.Decision("review", 70))
    return order, resp.get_json(), review


def test_rejecting_an_order_awaiting_3ds_cancels_the_payment_at_stripe(client, login_as,
                                                                      stripe_server):
    order, payment, review = _awaiting_3ds(client, stripe_server)
    admin, _ = login_as("admin")
    decide(admin, review.id, "rejected_fraud", "Card testing pattern")
    db.session.expire_all()
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "cancelled"
    assert db.session.get(Payment, uuid.UUID(payment["id"])).status == "cancelled"
    intent = stripe_server.intent(payment["gateway_payment_id"])
    assert intent["status"] == "canceled"
    # The client secret the app holds can no longer take money.
    assert "error" in stripe_server.authenticate(intent)
    assert stripe_server.intent(intent["id"])["status"] == "canceled"
    assert db.session.scalar(select(Refund.id)) is None


def test_money_taken_as_the_order_is_rejected_goes_back(client, stripe_server, monkeypatch):
    """The customer passes 3-D Secure after the rejection committed and before its
    cancel reaches Stripe: Stripe refuses to cancel a succeeded payment, which is then
    recorded as paid and refunded, since its order was stopped for fraud."""
    from app.fraud import reviews
    from app.payments import handlers

    # The order.cancelled job (which would cancel the payment first) has not run yet.
    monkeypatch.setattr(handlers, "cancel_open", lambda evt: None)
    order, payment, review = _awaiting_3ds(client, stripe_server)
    _, calls = act(reviews.decide, review.id, "rejected_fraud", reason="Stolen card",
                   actor=ADMIN)
    intent = stripe_server.intent(payment["gateway_payment_id"])
    assert stripe_server.authenticate(intent)["status"] == "succeeded"

    checks.execute_refunds(calls)
    db.session.expire_all()
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "cancelled"
    taken = db.session.get(Payment, uuid.UUID(payment["id"]))
    assert (taken.status, taken.amount_refunded) == ("refunded", order["total_amount"])
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.status, refund.amount) == ("succeeded", order["total_amount"])
    assert [(r["payment_intent"], r["amount"]) for r in stripe_server.refunds()] == \
        [(intent["id"], order["total_amount"])]


def test_a_block_rule_cancels_the_order_at_placement(client, factories):
    act(lists.add, "blocked_domains", "Fraudster.IO", actor=ADMIN)
    rule("Blocked domains", "email_domain in @blocked_domains", "block")
    user = factories.user(email_addr=f"mallory-{uuid.uuid4().hex[:6]}@fraudster.io", verified=True)
    from tests.factories import bearer, login
    headers = bearer(login(client, user.email)["access_token"])
    order = place_order(client, headers)
    db.session.expire_all()
    placed = db.session.get(Order, uuid.UUID(order["id"]))
    assert placed.status == "cancelled" and placed.restocked
    check = db.session.scalars(select(FraudCheck)).one()
    assert (check.action, check.rule_name, check.attributes["email_domain"]) == \
        ("block", "Blocked domains", "fraudster.io")
    assert events("order.cancelled_fraud")[0]["order_id"] == order["id"]
    assert db.session.scalar(select(FraudReview.id)) is None


def test_a_block_before_the_charge_fails_the_payment_and_cancels_the_order(client,
                                                                         stripe_server):
    rule("No cards from new accounts", 'stage == "payment" and payment_method == "card" '
         "and account_age_days < 1", "block")
    _, headers = customer(client)
    order = place_order(client, headers)
    assert db.session.scalars(select(FraudCheck)).one().action == "allow"  # placement
    resp = pay(client, headers, order, payment_method=stripe_server.card())
    assert resp.status_code == 402, resp.get_json()
    db.session.expire_all()
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.status, payment.failure_code, payment.gateway_payment_id) == \
        ("failed", "fraud_blocked", None)  # the gateway was never asked
    assert db.session.get(Order, payment.order_id).status == "cancelled"


def test_a_review_before_the_charge_holds_the_order(client, stripe_server):
    rule("Second look at payment", 'stage == "payment"', "review")
    _, headers = customer(client)
    order = place_order(client, headers)
    resp = pay(client, headers, order, payment_method=stripe_server.card())
    assert resp.status_code == 409 and resp.get_json()["errors"] == {"order_id": ["under_review"]}
    db.session.expire_all()
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.status, payment.gateway_payment_id) == ("cancelled", None)
    assert db.session.scalars(select(FraudReview)).one().status == "open"
    seen = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert seen["under_review"] is True


def test_a_review_is_decided_once_whoever_asks(client):
    from app.core.errors import Conflict, InvalidInput, PermissionDenied
    from app.fraud import reviews

    rule("Everything", "amount > 0", "review")
    _, headers = customer(client)
    place_order(client, headers)
    review = db.session.scalars(select(FraudReview)).one()
    other = Actor(kind="staff", id=uuid.uuid4(), label="sam@test", role="support")
    with pytest.raises(InvalidInput) as bad:
        act(reviews.decide, review.id, "maybe", reason="", actor=other)
    assert set(bad.value.errors) == {"decision", "reason"}
    with pytest.raises(PermissionDenied):
        act(reviews.decide, review.id, "approved", reason="ok",
            actor=Actor(kind="user", id=uuid.uuid4(), label="me"))
    act(reviews.decide, review.id, "rejected_other", reason="Address does not exist",
        actor=ADMIN)
    with pytest.raises(Conflict, match="already decided: rejected other"):
        act(reviews.decide, review.id, "approved", reason="Sorry", actor=other)
    db.session.expire_all()
    decided = db.session.get(FraudReview, review.id)
    assert (decided.status, decided.decided_by, decided.reason) == \
        ("rejected_other", ADMIN.ref, "Address does not exist")
    assert db.session.get(Order, decided.order_id).status == "cancelled"
    assert len(events("order.review_decided")) == 1
    assert len(events("order.cancelled_fraud")) == 1


def test_the_ip_country_comes_from_the_proxy_header(client):
    rule("IP abroad", "ip_country != billing_country", "review")
    _, headers = customer(client)
    from tests.orders_support import order_body, product

    home = client.post("/api/v1/orders", json=order_body((product(currency="GBP"), 1)),
                       headers={**headers, "CF-IPCountry": "gb"})
    assert home.status_code == 201
    abroad = client.post("/api/v1/orders", json=order_body((product(currency="GBP"), 1)),
                         headers={**headers, "CF-IPCountry": "NG"})
    unknown = client.post("/api/v1/orders", json=order_body((product(currency="GBP"), 1)),
                          headers={**headers, "CF-IPCountry": "XX"})
    reviewed = [str(r.order_id) for r in db.session.scalars(select(FraudReview))]
    assert reviewed == [abroad.get_json()["id"]]
    seen = {str(c.order_id): c.ip_country for c in db.session.scalars(select(FraudCheck))}
    assert seen == {home.get_json()["id"]: "GB", abroad.get_json()["id"]: "NG",
                    unknown.get_json()["id"]: None}
