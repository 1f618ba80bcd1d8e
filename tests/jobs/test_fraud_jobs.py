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
