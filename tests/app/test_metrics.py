"""/metrics: request latency per endpoint and status, job figures per queue, queue depths,
outbox lag, failed deliveries, business counters; right with several processes."""
from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from rq import Queue
from sqlalchemy import select

from app.core.actor import Actor
from app.core.redis import get_redis
from app.events.models import OutboxEvent
from app.extensions import db
from app.orders import service as orders
from tests import orders_support
from tests.invoice_support import act


def samples(text: str) -> dict:
    """{(name, frozenset(labels)): value} of a Prometheus exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, frozenset(s.labels.items()))] = s.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def scrape(client) -> dict:
    resp = client.get("/metrics")
    assert resp.status_code == 200
    return samples(resp.get_data(as_text=True))


def _place(factories, currency="EUR", price=2500, qty=2):
    user = factories.user()
    product = orders_support.product(price=price, currency=currency)
    return act(orders.place, user.id, [{"product_id": product.id, "quantity": qty}],
               orders_support.ADDRESS, actor=Actor.system())


def test_latency_is_a_histogram_per_endpoint_and_status(client):
    client.get("/healthz")
    client.get("/api/v1/no-such-thing")
    found = scrape(client)
    assert value(found, "http_request_duration_seconds_count", method="GET",
                 endpoint="ops.healthz", status="200") >= 1
    assert value(found, "http_request_duration_seconds_bucket", method="GET",
                 endpoint="ops.healthz", status="200", le="+Inf") >= 1
    assert value(found, "http_request_duration_seconds_count", method="GET",
                 endpoint="unmatched", status="404") >= 1


def test_business_counters_in_the_embedded_mode(app, client, factories, tax_rates):
    before = scrape(client)
    order = _place(factories)
    after = scrape(client)
    name = "business_orders_placed_total"
    assert value(after, name, currency="EUR") - value(before, name, currency="EUR") == 1
    minor = "business_orders_value_minor_total"
    assert (value(after, minor, currency="EUR") - value(before, minor, currency="EUR")
            == order.total_amount)


def test_business_counters_do_not_count_a_rolled_back_order(app, client, factories, tax_rates):
    from app.core.errors import Conflict

    before = scrape(client)
    product = orders_support.product(stock=1)
    user = factories.user()
    with pytest.raises(Conflict):
        act(orders.place, user.id, [{"product_id": product.id, "quantity": 5}],
            orders_support.ADDRESS, actor=Actor.system())
    assert (value(scrape(client), "business_orders_placed_total", currency="EUR")
            == value(before, "business_orders_placed_total", currency="EUR"))


def test_redis_mode_figures_queues_outbox_and_business(redis_app, redis_client, factories):
    from tests.invoice_support import rates

    rates()
    get_redis(redis_app).delete("nextgen:metrics:business")
    order = _place(factories, currency="GBP", price=1000, qty=3)
    stale = OutboxEvent(type="test.stale", payload={}, created_at=dt.datetime.now(
        dt.timezone.utc) - dt.timedelta(seconds=120))
    db.session.add(stale)
    db.session.commit()

    found = scrape(redis_client)
    assert value(found, "business_orders_placed_total", currency="GBP") == 1
    assert value(found, "business_orders_value_minor_total", currency="GBP") == order.total_amount
    assert value(found, "outbox_pending_events") == 1
    assert value(found, "outbox_lag_seconds") >= 120
    conn = get_redis(redis_app)
    for name in ("default", "email", "webhooks"):
        assert value(found, "rq_queue_jobs", queue=name, state="queued") == \
            Queue(name, connection=conn).count
    assert ("deliveries_failed", frozenset({("kind", "webhook")})) in found


def test_a_job_carries_its_request_id_and_the_worker_counts_it(redis_app, redis_client,
                                                               smtp_server, tmp_path,
                                                               monkeypatch):
    from prometheus_client import CollectorRegistry, multiprocess

    from tests.factories import PASSWORD
    from tests.jobs.test_worker import run_worker

    resp = redis_client.post("/api/v1/auth/register",
                             json={"email": "m@example.com", "password": PASSWORD})
    assert resp.status_code == 202
    [job] = Queue("email", connection=get_redis(redis_app)).get_jobs()
    assert job.meta["request_id"] == resp.headers["X-Request-ID"]

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    done = run_worker(redis_app, smtp_server[1], "email")
    assert done.returncode == 0, done.stderr
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    found = {(s.name, frozenset(s.labels.items())): s.value
             for f in registry.collect() for s in f.samples}
    # The event's handler, then the send job it queued (app/notifications).
    assert value(found, "rq_jobs_total", queue="email", status="finished") == 2
    assert value(found, "rq_job_duration_seconds_count", queue="email") == 2


def test_two_web_processes_answer_for_each_other(pg_app, tmp_path):
    """PROMETHEUS_MULTIPROC_DIR shared by two gunicorn servers (the Procfile's command):
    either one's /metrics counts the requests both served."""
    from tests.live import web_server

    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    name = "http_requests_total"
    labels = {"method": "GET", "endpoint": "ops.healthz", "status": "200"}
    with web_server(pg_app, workers=1, threads=2, extra_env=env) as a, \
            web_server(pg_app, workers=1, threads=2, extra_env=env) as b:
        before = value(samples(requests.get(f"{a}/metrics", timeout=5).text), name, **labels)
        for _ in range(3):
            assert requests.get(f"{a}/healthz", timeout=5).status_code == 200
        for _ in range(4):
            assert requests.get(f"{b}/healthz", timeout=5).status_code == 200
        found_a = samples(requests.get(f"{a}/metrics", timeout=5).text)
        found_b = samples(requests.get(f"{b}/metrics", timeout=5).text)
    for found in (found_a, found_b):
        assert value(found, name, **labels) - before == 7
    pids = {name.rsplit("_", 1)[-1] for name in os.listdir(tmp_path) if name.startswith("counter_")}
    assert len(pids) >= 2
