"""PayPal webhooks through real RQ workers on Redis (against the fake PayPal of
tests/paypal_server.py, see there why a fake): the endpoint has PayPal verify the event,
stores it and answers at once; a worker process applies it (order and invoice paid in
one transaction); the receipt email follows from the email queue, once."""
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.orders.models import Order
from app.payments.models import GatewayEvent, Payment
from tests.jobs.test_worker import run_worker
from tests.payments_support import customer, new_key, pay, place_order


def test_a_paypal_webhook_is_acknowledged_then_applied_by_the_worker(
        redis_app, redis_client, paypal, smtp_server):
    from tests.invoice_support import rates

    rates()
    mailbox, port = smtp_server
    _, headers = customer(redis_client)
    order = place_order(redis_client, headers)
    payment = pay(redis_client, headers, order, method="paypal", key=new_key()).get_json()
    assert payment["approval_url"], payment
    paypal.approve(payment["gateway_payment_id"])
    paypal.route("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture", {})
    capture = paypal.capture_of(payment["gateway_payment_id"])

    for _ in range(3):  # PayPal retries until it hears 200: the same event id
        body, signed = paypal.webhook("PAYMENT.CAPTURE.COMPLETED", capture, event_id="WH-1")
        assert redis_client.post("/api/v1/webhooks/paypal", data=body,
                                 headers=signed).status_code == 200
    db.session.expire_all()
    stored = db.session.scalars(select(GatewayEvent)).one()
    assert stored.processed_at is None and stored.gateway == "paypal"
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "pending_payment"

    done = run_worker(redis_app, port, "default", "pdf", "email")
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    paid = db.session.get(Payment, uuid.UUID(payment["id"]))
    assert paid.status == "succeeded" and paid.invoice_id is not None
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "paid"
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 1
    subjects = [m["Subject"] for m in mailbox.wait_for(2)]
    assert sum(s.startswith("Receipt") for s in subjects) == 1, subjects
