"""Webhooks through real RQ workers on Redis (`flask rq worker --burst`), to a real receiver."""
from __future__ import annotations

from datetime import timedelta

from rq import Queue
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from app.core.actor import Actor
from app.core.redis import get_redis
from app.core.types import utcnow
from app.core.uow import unit_of_work
from app.extensions import db
from app.orders import service as orders
from app.webhooks import delivery
from app.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.factories import user
from tests.jobs.test_worker import run_worker
from tests.orders_support import ADDRESS, product
from tests.webhook_receiver import Receiver
from tests.webhook_support import create_endpoint, partner  # noqa: F401 (fixture)


def _setup(redis_app, monkeypatch):
    monkeypatch.setitem(redis_app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    monkeypatch.setitem(redis_app.config, "WEBHOOK_RETRY_BASE_SECONDS", 0.001)
    # The worker's environment: the receiver is local, and a retry is due at once.
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0.001")
    from tests.invoice_support import rates

    rates()


def _place() -> str:
    customer = user()
    p = product(stock=5)
    with unit_of_work():
        order = orders.place(customer.id, [{"product_id": str(p.id), "quantity": 1}], ADDRESS,
                             actor=Actor.system("tests"))
    return str(order.id)


def test_order_event_is_fanned_out_and_delivered_by_the_worker(redis_app, redis_client, partner,
                                                               monkeypatch):
    _setup(redis_app, monkeypatch)
    _, headers = partner
    with Receiver(statuses=[500]) as receiver:
        create_endpoint(redis_client, headers, receiver.url, ["order.placed"])
        order_id = _place()
        conn = get_redis(redis_app)
        assert any(j.startswith("evt-") for j in Queue("webhooks", connection=conn).job_ids)
        assert receiver.requests == []  # nothing is sent inside the request

        done = run_worker(redis_app, 9, "webhooks")
        assert done.returncode == 0, done.stderr
        [first] = receiver.wait_for(1)
        db.session.expire_all()
        row = db.session.scalars(select(WebhookDelivery)).one()
        assert (row.status, row.attempts) == ("pending", 1)
        # The retry is scheduled in RQ (enqueue_in) for its backoff delay...
        scheduled = ScheduledJobRegistry("webhooks", connection=conn).get_job_ids()
        assert scheduled == [f"whd-{row.id}-2"]
        # ...and the periodic sweep hands over a due one whose job was lost.
        assert delivery.sweep_due(now=utcnow() + timedelta(days=1)) == 1
        again = run_worker(redis_app, 9, "webhooks")
        assert again.returncode == 0, again.stderr
        second = receiver.wait_for(2)[1]
    db.session.expire_all()
    row = db.session.get(WebhookDelivery, row.id)
    assert (row.status, row.attempts) == ("succeeded", 2)
    assert db.session.scalars(select(WebhookAttempt.response_status)
                              .order_by(WebhookAttempt.number)).all() == [500, 200]
    assert receiver.events()[0]["data"]["object"]["id"] == order_id
    assert first["headers"]["Webhook-Id"] == second["headers"]["Webhook-Id"]
