"""Card payments through the API against localstripe (a stateful fake Stripe server):
order -> payment -> confirmation -> signed webhook -> order paid -> invoice paid, equal
to the order -> receipt email (aiosmtpd); 3-D Secure, declines, and the bad input."""
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from api.payments.schemas import PaymentSchema, RefundSchema
from api.payments.serialize import payment_to_dict
from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import GatewayEvent, Payment, Refund
from tests.payments_support import customer, deliver, new_key, pay, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Payment, Refund, GatewayEvent, Invoice))


def test_order_paid_by_card_end_to_end(client, stripe_server, smtp):
    _, headers = customer(client)
    order = place_order(client, headers)
    assert order["total_amount"] == 9000
    smtp.wait_for(1)  # the order confirmation
    smtp.messages.clear()

    created = pay(client, headers, order, key=new_key(), currency="gbp")
    assert created.status_code == 201, created.get_json()
    payment = created.get_json()
    assert payment["status"] == "pending" and payment["amount"] == 9000
    assert payment["currency"] == "GBP"
    assert payment["client_secret"].startswith(payment["gateway_payment_id"])
    [intent] = stripe_server.intents(payment["id"])
    assert intent["amount"] == 9000 and intent["currency"] == "gbp"

    # The app confirms with Stripe.js; Stripe tells us by webhook.
    confirmed = stripe_server.confirm(intent["id"])
    assert confirmed["status"] == "succeeded"
    assert deliver(client, "payment_intent.succeeded", confirmed).status_code == 200

    paid = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert paid["status"] == "succeeded" and paid["client_secret"] is None
    order_now = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert order_now["status"] == "paid" and order_now["payment_reference"] == intent["id"]
    invoice = client.get(f"/api/v1/invoices/{paid['invoice_id']}", headers=headers).get_json()
    assert invoice["status"] == "paid" and invoice["order_id"] == order["id"]
    assert invoice["total_amount"] == order["total_amount"] == paid["amount"]
    assert invoice["tax_amount"] == order["tax_amount"]
    assert invoice["amount_due"] == 0

    receipt = [m for m in smtp.wait_for(1) if m["Subject"].startswith("Receipt")]
    assert receipt, [m["Subject"] for m in smtp.messages]
    [attachment] = list(receipt[0].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{invoice['number']}.pdf"


def test_the_dump_is_the_schema(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order).get_json()
    row = db.session.get(Payment, uuid.UUID(payment["id"]))
    columns = {c.key: getattr(row, c.key) for c in Payment.__table__.columns}
    as_object = SimpleNamespace(**columns, object="payment", refunds=[], client_secret=None,
                                amount_refundable=row.refundable, approval_url=None)
    assert payment_to_dict(row) == PaymentSchema().dump(as_object)
    assert payment == {**payment_to_dict(row), "client_secret": payment["client_secret"]}


def test_three_d_secure_surfaces_as_requires_action(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    card = stripe_server.card("4000002760003184")
    created = pay(client, headers, order, payment_method=card)
    assert created.status_code == 201, created.get_json()
    payment = created.get_json()
    assert payment["status"] == "requires_action"
    assert payment["next_action"]["type"] == "use_stripe_sdk"
    intent = stripe_server.authenticate({"id": payment["gateway_payment_id"],
                                         "client_secret": payment["client_secret"]})
    assert intent["status"] == "succeeded"
    deliver(client, "payment_intent.succeeded", intent)
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()["status"] == "paid"


def test_one_payment_in_flight_per_order(client, stripe_server):
    """A second payment (another tab, another key) while one awaits 3-D Secure would be a
    second PaymentIntent the customer could confirm too: refused, naming the first."""
    _, headers = customer(client)
    order = place_order(client, headers)
    first = pay(client, headers, order, key=new_key(),
                payment_method=stripe_server.card("4000002760003184")).get_json()
    assert first["status"] == "requires_action"
    second = pay(client, headers, order, key=new_key(), payment_method=stripe_server.card())
    assert second.status_code == 409, second.get_json()
    assert second.get_json()["errors"]["payment_id"] == [first["id"]]
    assert len(stripe_server.intents()) == 1 and _counts()[0] == 1
    intent = stripe_server.authenticate({"id": first["gateway_payment_id"],
                                         "client_secret": first["client_secret"]})
    deliver(client, "payment_intent.succeeded", intent)
    assert pay(client, headers, order, key=new_key()).status_code == 409  # paid now


def test_the_database_refuses_a_second_open_payment(app, factories):
    """The last word when the lock is bypassed: the partial unique index."""
    from sqlalchemy.exc import IntegrityError

    from app.core.uow import unit_of_work
    from tests.orders_support import ADDRESS, product
    from app.core.actor import Actor
    from app.orders import service as orders

    user = factories.user()
    with unit_of_work():
        order = orders.place(user.id, [{"product_id": product().id, "quantity": 1}], ADDRESS,
                             actor=Actor(kind="user", id=user.id))

    def payment(status):
        return Payment(id=uuid.uuid4(), order_id=order.id, customer_id=user.id, method="card",
                       gateway="stripe", status=status, amount=order.total_amount,
                       currency=order.currency, amount_refunded=0, amount_refund_pending=0,
                       created_by="tests")

    with unit_of_work():
        db.session.add_all([payment("failed"), payment("failed"), payment("pending")])
    with pytest.raises(IntegrityError):
        with unit_of_work():
            db.session.add(payment("requires_action"))


def test_a_decline_is_recorded_and_the_order_stays_payable(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    declined = pay(client, headers, order, key=new_key(),
                   payment_method=stripe_server.card("4000000000000341"))
    assert declined.status_code == 402, declined.get_json()
    assert declined.get_json()["errors"]["decline_code"] == ["card_declined"]
    [failed] = db.session.scalars(select(Payment)).all()
    assert failed.status == "failed" and failed.failure_code == "card_declined"
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()["status"] == \
        "pending_payment"
    again = pay(client, headers, order, payment_method=stripe_server.card())
    assert again.status_code == 201 and again.get_json()["status"] == "succeeded"
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()["status"] == "paid"


def test_failure_webhook_records_the_reason_and_tells_the_customer(client, stripe_server, smtp):
    user, headers = customer(client)
    order = place_order(client, headers)
    smtp.wait_for(1)  # the order confirmation
    smtp.messages.clear()
    payment = pay(client, headers, order).get_json()
    intent = stripe_server.intent(payment["gateway_payment_id"])
    failed = {**intent, "status": "requires_payment_method", "last_payment_error": {
        "code": "card_declined", "message": "Your card was declined."}}
    assert deliver(client, "payment_intent.payment_failed", failed).status_code == 200
    now = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert now["status"] == "failed" and now["failure_code"] == "card_declined"
    assert now["failure_message"] == "Your card was declined."
    [told] = smtp.wait_for(1)
    assert told["To"] == user.email and "did not go through" in told["Subject"]
    # A known decline code is worded by the template (in the customer's language).
    assert "failed: the card was declined" in told.get_body(("plain",)).get_content()
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()["status"] == \
        "pending_payment"


@pytest.mark.parametrize("change, status", [
    ({"amount": 8999}, 422),
    ({"amount": 9001}, 422),
    ({"currency": "EUR"}, 422),
    ({"amount": 0}, 422),
    ({"amount": "9000"}, 422),
    ({"amount": 90.0}, 422),
    ({"currency": "gbpx"}, 422),
    ({"method": "bank_transfer"}, 422),  # not through a gateway (PayPal: tests/api/test_paypal.py)
    ({"order_id": "00000000-0000-0000-0000-000000000000"}, 404),
])
def test_bad_payments_change_nothing(client, stripe_server, change, status):
    _, headers = customer(client)
    order = place_order(client, headers)
    before = _counts()
    resp = pay(client, headers, order, key=new_key(), **change)
    assert resp.status_code == status, resp.get_json()
    body = resp.get_json()
    assert set(body) >= {"code", "status", "message", "request_id"}
    assert _counts() == before and stripe_server.intents() == []


def test_someone_elses_order_is_not_found(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    _, stranger = customer(client)
    resp = pay(client, stranger, order)
    assert resp.status_code == 404 and stripe_server.intents() == []
    mine = pay(client, headers, order).get_json()
    assert client.get(f"/api/v1/payments/{mine['id']}", headers=stranger).status_code == 404
    assert client.get("/api/v1/payments", headers=stranger).get_json()["data"] == []


def test_cancelled_and_paid_orders_are_refused(client, stripe_server):
    _, headers = customer(client)
    cancelled = place_order(client, headers)
    client.post(f"/api/v1/orders/{cancelled['id']}/cancel", json={}, headers=headers)
    resp = pay(client, headers, cancelled)
    assert resp.status_code == 409 and "cancelled" in resp.get_json()["message"]
    paid = place_order(client, headers)
    assert pay(client, headers, paid, payment_method=stripe_server.card()).status_code == 201
    again = pay(client, headers, paid, payment_method=stripe_server.card())
    assert again.status_code == 409 and "already paid" in again.get_json()["message"]
    assert len(stripe_server.intents()) == 1


def test_without_stripe_keys_card_payments_answer_503(client, app):
    _, headers = customer(client)
    order = place_order(client, headers)
    resp = pay(client, headers, order, key=new_key())
    assert resp.status_code == 503
    body = resp.get_json()
    assert "STRIPE_API_KEY" in body["message"] and body["errors"]["configuration"] == ["STRIPE_API_KEY"]
    assert _counts() == (0, 0, 0, 0)


def test_idempotency_key_replays_the_first_answer(client, stripe_server):
    _, headers = customer(client)
    order = place_order(client, headers)
    key = new_key()
    first = pay(client, headers, order, key=key)
    second = pay(client, headers, order, key=key)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json() == second.get_json()
    other = pay(client, headers, order, key=key, amount=1)
    assert other.status_code == 422
    assert len(stripe_server.intents()) == 1 and _counts()[0] == 1


def test_partners_list_by_scope_and_pages_by_cursor(client, stripe_server, factories):
    _, headers = customer(client)
    ids = [pay(client, headers, place_order(client, headers)).get_json()["id"] for _ in range(3)]
    _, secret = factories.api_key(scopes=["payments:read"])
    partner = {"Authorization": f"Bearer {secret}"}
    first = client.get("/api/v1/payments?limit=2", headers=partner).get_json()
    assert first["has_more"] is True
    rest = client.get(f"/api/v1/payments?limit=2&cursor={first['next_cursor']}",
                      headers=partner).get_json()
    assert [p["id"] for p in first["data"] + rest["data"]] == ids[::-1]
    assert rest["has_more"] is False
    _, no_scope = factories.api_key(scopes=["orders:read"])
    assert client.get("/api/v1/payments", headers={
        "Authorization": f"Bearer {no_scope}"}).status_code == 403
    assert client.get("/api/v1/payments?cursor=nope", headers=partner).status_code == 422


def test_a_crash_after_the_gateway_call_is_healed_by_the_webhook(client, app, stripe_server,
                                                                 monkeypatch):
    """Transaction 2 never commits (the process dies after Stripe answered): the pending
    payment and the claim stay. The webhook finds the payment by the id in the intent's
    metadata; the retry under the same key, once the claim's lease is over, answers
    the payment as it now is, without another PaymentIntent."""
    from app.payments import service

    _, headers = customer(client)
    order = place_order(client, headers)
    key = new_key()

    def crash(*args, **kwargs):
        raise RuntimeError("worker died")

    with monkeypatch.context() as patched:
        patched.setattr(service, "apply", crash)
        with pytest.raises(RuntimeError):
            pay(client, headers, order, key=key)
    [intent] = stripe_server.intents()
    [payment] = db.session.scalars(select(Payment)).all()
    assert payment.status == "pending" and payment.gateway_payment_id is None
    assert pay(client, headers, order, key=key).status_code == 409  # in progress

    deliver(client, "payment_intent.succeeded", stripe_server.confirm(intent["id"]))
    monkeypatch.setitem(app.config, "PAYMENT_RESUME_AFTER_SECONDS", 0)
    retry = pay(client, headers, order, key=key)
    assert retry.status_code == 201, retry.get_json()
    body = retry.get_json()
    assert body["id"] == str(payment.id) and body["status"] == "succeeded"
    assert body["gateway_payment_id"] == intent["id"]
    assert len(stripe_server.intents()) == 1
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()["status"] == "paid"


def test_no_transaction_is_open_during_gateway_calls(client, stripe_server, monkeypatch,
                                                     factories):
    """Transaction 1 (the claim, the pending row) has committed before the SDK is called,
    and transaction 2 starts after it answered: nothing is locked while Stripe thinks."""
    from app.payments import stripe_gateway

    seen = []
    for name in ("create_intent", "create_refund"):
        real = getattr(stripe_gateway, name)

        def watched(*args, _real=real, _name=name, **kwargs):
            seen.append((_name, db.session().in_transaction()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(stripe_gateway, name, watched)
    _, headers = customer(client)
    order = place_order(client, headers)
    assert pay(client, headers, order, key=new_key(),
               payment_method=stripe_server.card()).status_code == 201
    [payment] = db.session.scalars(select(Payment)).all()
    _, secret = factories.api_key(scopes=["payments:write"])
    resp = client.post(f"/api/v1/payments/{payment.id}/refunds", json={"amount": 100},
                       headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "r1"})
    assert resp.status_code == 201, resp.get_json()
    assert seen == [("create_intent", False), ("create_refund", False)]
