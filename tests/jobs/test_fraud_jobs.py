"""Fraud screening as a job through a real RQ worker on Redis: nothing is decided inside
the placing request; the worker process screens the order, and the velocity counters it
writes to Redis are what the next screening (and any other process) reads."""
import uuid

from rq import Queue
from sqlalchemy import select

from app.core.actor import Actor
from app.core.redis import get_redis
from app.extensions import db
from app.fraud import rule_edits, velocity
from app.fraud.models import FraudCheck, FraudReview
from tests.invoice_support import act
from tests.jobs.test_worker import run_worker
from tests.payments_support import customer, place_order

ADMIN = Actor(kind="staff", id=uuid.uuid4(), label="ada@test", role="admin")


def test_the_worker_screens_orders_and_counts_them_in_redis(redis_app, redis_client,
                                                            smtp_server):
    from tests.invoice_support import rates

    rates()
    _, port = smtp_server
    act(rule_edits.propose, None, {"name": "Second order within the hour",
                                   "expression": "orders_per_customer_1h > 1",
                                   "action": "review", "position": 10}, actor=ADMIN)
    user, headers = customer(redis_client)
    first = place_order(redis_client, headers)
    assert "evt-" in Queue("default", connection=get_redis(redis_app)).job_ids[0]
    assert db.session.scalars(select(FraudCheck)).one().status == "pending"

    done = run_worker(redis_app, port, "default")
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    check = db.session.scalars(select(FraudCheck)).one()
    assert (check.status, check.action, check.attributes["orders_per_customer_1h"]) == \
        ("done", "allow", 1)
    # Counted by the worker process, read here from Redis.
    counted = velocity.read({"customer": str(user.id)})
    assert counted["orders_per_customer_1h"] == 1 and counted["orders_per_customer_7d"] == 1

    second = place_order(redis_client, headers)
    assert run_worker(redis_app, port, "default").returncode == 0
    db.session.expire_all()
    review = db.session.scalars(select(FraudReview)).one()
    assert (str(review.order_id), review.rule_name) == \
        (second["id"], "Second order within the hour")
    assert str(review.order_id) != first["id"]
    # The same event handed over again: screened once, counted once.
    from app.events.dispatch import dispatch
    from app.events.models import OutboxEvent

    placed = [e.id for e in db.session.scalars(select(OutboxEvent).where(
        OutboxEvent.type == "order.placed"))]
    dispatch(placed)
    assert run_worker(redis_app, port, "default").returncode == 0
    assert velocity.read({"customer": str(user.id)})["orders_per_customer_1h"] == 2
    assert len(db.session.scalars(select(FraudCheck)).all()) == 2


def test_a_block_decided_after_the_payment_refunds_it_and_returns_the_stock(
        redis_app, redis_client, stripe_server, smtp_server, monkeypatch):
    """The placement check is a job: the customer can pay before a worker runs it. A
    block then cancels the paid order, returns its stock and refunds the card at Stripe."""
    from app.catalog.models import Product
    from app.orders.models import Order
    from app.payments.models import Payment, Refund
    from tests.invoice_support import rates
    from tests.payments_support import pay
    from tests.stripe_server import API_KEY

    rates()
    _, port = smtp_server
    # The worker process reads its configuration from the environment.
    monkeypatch.setenv("STRIPE_API_KEY", API_KEY)
    monkeypatch.setenv("STRIPE_API_BASE", stripe_server.url)
    act(rule_edits.propose, None, {"name": "Large first orders",
                                   "expression": 'stage == "order" and amount > 5000',
                                   "action": "block", "position": 10}, actor=ADMIN)
    _, headers = customer(redis_client)
    order = place_order(redis_client, headers)  # 90.00 GBP, 3 of a product stocked 10
    product_id = uuid.UUID(order["lines"][0]["product_id"])
    assert db.session.get(Product, product_id).stock_on_hand == 7
    paid = pay(redis_client, headers, order, payment_method=stripe_server.card())
    assert paid.status_code == 201 and paid.get_json()["status"] == "succeeded", paid.get_json()
    assert db.session.scalars(select(FraudCheck).where(FraudCheck.stage == "order")
                              ).one().status == "pending"

    done = run_worker(redis_app, port, "default")
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    placed = db.session.get(Order, uuid.UUID(order["id"]))
    assert (placed.status, placed.restocked) == ("cancelled", True)
    assert db.session.get(Product, product_id).stock_on_hand == 10
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.status, refund.amount) == ("succeeded", order["total_amount"])
    payment = db.session.get(Payment, uuid.UUID(paid.get_json()["id"]))
    assert (payment.status, payment.amount_refunded) == ("refunded", order["total_amount"])
    at_stripe = stripe_server.refunds()
    assert [(r["payment_intent"], r["amount"]) for r in at_stripe] == \
        [(payment.gateway_payment_id, order["total_amount"])]
    # The job handed over again (a retry): nothing is refunded twice.
    from app.events.dispatch import dispatch
    from app.events.models import OutboxEvent

    dispatch([e.id for e in db.session.scalars(select(OutboxEvent).where(
        OutboxEvent.type == "order.placed"))])
    assert run_worker(redis_app, port, "default").returncode == 0
    assert len(stripe_server.refunds()) == 1
