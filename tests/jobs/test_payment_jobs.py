"""Stripe webhooks through real RQ workers on Redis: the endpoint stores the event and
answers at once; the job (a worker process) applies it, in one transaction with the
order's payment and its paid invoice; the receipt email follows from the email queue."""
import uuid

from rq import Queue
from sqlalchemy import func, select

from app.core.redis import get_redis
from app.extensions import db
from app.orders.models import Order
from app.payments.models import GatewayEvent, Payment
from tests.jobs.test_worker import run_worker
from tests.payments_support import customer, deliver, pay, place_order


def test_a_webhook_is_acknowledged_then_applied_by_the_worker(redis_app, redis_client,
                                                               stripe_server, smtp_server):
    from tests.invoice_support import rates

    rates()
    mailbox, port = smtp_server
    _, headers = customer(redis_client)
    order = place_order(redis_client, headers)
    payment = pay(redis_client, headers, order).get_json()
    intent = stripe_server.confirm(payment["gateway_payment_id"])

    for _ in range(3):
        assert deliver(redis_client, "payment_intent.succeeded", intent).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 1
    stored = db.session.scalars(select(GatewayEvent)).one()
    assert stored.processed_at is None  # acknowledged, not yet applied
    assert Queue("default", connection=get_redis(redis_app)).count >= 1
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "pending_payment"

    done = run_worker(redis_app, port, "default", "pdf", "email")
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    paid = db.session.get(Payment, uuid.UUID(payment["id"]))
    assert paid.status == "succeeded" and paid.invoice_id is not None
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "paid"
    assert db.session.get(GatewayEvent, stored.id).processed_at is not None
    subjects = [m["Subject"] for m in mailbox.wait_for(2)]
    assert sum(s.startswith("Receipt") for s in subjects) == 1, subjects
