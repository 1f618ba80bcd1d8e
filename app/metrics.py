"""Prometheus metrics: what the processes count (requests, jobs, business events) and what
is read at scrape time (queue depths, outbox lag, failed deliveries).

Several gunicorn workers and RQ workers each count in their own memory; with
PROMETHEUS_MULTIPROC_DIR set (before the process starts: prometheus_client reads it at
import) each writes its figures to files there and /metrics adds them up, so any web
process answers for all. deploy/gunicorn.conf.py marks a dead worker's files; the
directory must be emptied when the whole service starts (deploy/README.md)."""
from __future__ import annotations

import logging
import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

log = logging.getLogger(__name__)

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
LATENCY = Histogram("http_request_duration_seconds", "Request latency by endpoint and status",
                    ["method", "endpoint", "status"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
JOBS = Counter("rq_jobs_total", "RQ jobs run, by queue and outcome", ["queue", "status"])
JOB_DURATION = Histogram("rq_job_duration_seconds", "RQ job run time", ["queue"],
                         buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900))
# Business counters: (name, help) per kind, each a count and an amount in minor units
# per currency. With Redis they are counted there (HINCRBY), because most are counted in
# RQ work horses, a new process per job whose own metrics files would pile up; embedded
# (one process, no Redis) in this process.
BUSINESS = {
    "orders": ("business_orders_placed", "Orders placed", "business_orders_value_minor",
               "Value of the orders placed, in minor units"),
    "payments": ("business_payments_succeeded", "Payments that succeeded",
                 "business_revenue_minor", "Money taken (succeeded payments), in minor units"),
    "refunds": ("business_refunds", "Refunds that succeeded", "business_refunded_minor",
                "Money refunded, in minor units"),
}
BUSINESS_KEY = "nextgen:metrics:business"
_LOCAL = {kind: (Counter(count, count_help, ["currency"], registry=None),
                 Counter(minor, minor_help, ["currency"], registry=None))
          for kind, (count, count_help, minor, minor_help) in BUSINESS.items()}


def _count(kind: str, currency: str, amount: int) -> None:
    from app.core.redis import get_redis

    conn = get_redis()
    if conn is None:
        count, minor = _LOCAL[kind]
        count.labels(currency).inc()
        minor.labels(currency).inc(amount)
        return
    try:
        with conn.pipeline(transaction=False) as pipe:
            pipe.hincrby(BUSINESS_KEY, f"{kind}:count:{currency}", 1)
            pipe.hincrby(BUSINESS_KEY, f"{kind}:minor:{currency}", int(amount))
            pipe.execute()
    except Exception as exc:  # a figure missed, never the operation
        log.warning("metrics: business counter %s not counted: %s", kind, exc)


def _after_commit(kind: str, currency: str, amount: int) -> None:
    from app.core import uow

    uow.after_commit(_count, kind, currency, amount)


# Called by the services inside their transaction: counted once it has committed.
def order_placed(currency: str, amount: int) -> None:
    _after_commit("orders", currency, amount)


def payment_succeeded(currency: str, amount: int) -> None:
    _after_commit("payments", currency, amount)


def refund_succeeded(currency: str, amount: int) -> None:
    _after_commit("refunds", currency, amount)


def observe_request(method: str, endpoint: str, status: int, seconds: float | None) -> None:
    REQUESTS.labels(method, endpoint, status).inc()
    if seconds is not None:
        LATENCY.labels(method, endpoint, status).observe(seconds)


def observe_job(queue: str, status: str, seconds: float | None) -> None:
    JOBS.labels(queue, status).inc()
    if seconds is not None:
        JOB_DURATION.labels(queue).observe(seconds)


class ScrapeTimeCollector:
    """Figures that live in Redis and the database, read when Prometheus asks, so they
    are right whichever process answers."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        yield from self._queues()
        yield from self._outbox()
        yield from self._business()

    def _business(self):
        from app.core.redis import get_redis

        conn = get_redis(self.app)
        if conn is None:
            return
        try:
            raw = conn.hgetall(BUSINESS_KEY)
        except Exception as exc:
            log.warning("metrics: business counters unavailable: %s", exc)
            return
        families = {}
        for kind, (count, count_help, minor, minor_help) in BUSINESS.items():
            families[(kind, "count")] = CounterMetricFamily(count, count_help, labels=["currency"])
            families[(kind, "minor")] = CounterMetricFamily(minor, minor_help, labels=["currency"])
        for field, value in raw.items():
            kind, what, currency = field.decode().split(":", 2)
            if (kind, what) in families:
                families[(kind, what)].add_metric([currency], int(value))
        yield from families.values()

    def _queues(self):
        from rq import Queue
        from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

        from app.core.redis import get_redis
        from app.events.registry import QUEUES

        conn = get_redis(self.app)
        if conn is None:
            return
        depth = GaugeMetricFamily("rq_queue_jobs", "Jobs per queue and state",
                                  labels=["queue", "state"])
        try:
            for name in QUEUES:
                depth.add_metric([name, "queued"], Queue(name, connection=conn).count)
                for state, registry in (("started", StartedJobRegistry),
                                        ("scheduled", ScheduledJobRegistry),
                                        ("failed", FailedJobRegistry)):
                    depth.add_metric([name, state], registry(name, connection=conn).count)
        except Exception as exc:  # Redis down: the other figures still matter
            log.warning("metrics: queue depths unavailable: %s", exc)
            return
        yield depth

    def _outbox(self):
        from sqlalchemy import func, select

        from app.core.types import utcnow
        from app.events.models import EventDelivery, OutboxEvent
        from app.extensions import db
        from app.webhooks.models import WebhookDelivery

        try:
            pending, oldest = db.session.execute(
                select(func.count(), func.min(OutboxEvent.created_at))
                .where(OutboxEvent.dispatched_at.is_(None))).one()
            failed = db.session.scalar(select(func.count()).select_from(EventDelivery)
                                       .where(EventDelivery.status == "failed"))
            webhooks_failed = db.session.scalar(
                select(func.count()).select_from(WebhookDelivery)
                .where(WebhookDelivery.status == "failed"))
        except Exception as exc:
            db.session.rollback()
            log.warning("metrics: outbox figures unavailable: %s", exc)
            return
        if oldest is not None and oldest.tzinfo is None:
            from datetime import timezone
            oldest = oldest.replace(tzinfo=timezone.utc)
        yield GaugeMetricFamily("outbox_pending_events", "Committed events not yet handed over",
                                value=pending)
        yield GaugeMetricFamily("outbox_lag_seconds",
                                "Age of the oldest event not yet handed over (0: none)",
                                value=(utcnow() - oldest).total_seconds() if oldest else 0.0)
        deliveries = GaugeMetricFamily("deliveries_failed", "Deliveries that failed",
                                       labels=["kind"])
        deliveries.add_metric(["event_handler"], failed)
        deliveries.add_metric(["webhook"], webhooks_failed)
        yield deliveries


def exposition(app) -> tuple[bytes, str]:
    from app.core.redis import get_redis

    scrape = CollectorRegistry()
    scrape.register(ScrapeTimeCollector(app))
    multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if get_redis(app) is None and not multiprocess_dir:
        for collectors in _LOCAL.values():
            for collector in collectors:
                scrape.register(collector)
    if multiprocess_dir:
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    return generate_latest(counted) + generate_latest(scrape), CONTENT_TYPE_LATEST


def serve_host_metrics(port: int, addr: str = "0.0.0.0") -> None:
    """A bare /metrics of the processes counting into PROMETHEUS_MULTIPROC_DIR (job counts
    and durations), for a host of workers only; firewall it like any metrics port."""
    from prometheus_client import multiprocess, start_http_server

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        raise RuntimeError("--metrics-port needs PROMETHEUS_MULTIPROC_DIR")
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr=addr, registry=registry)


def mark_process_dead(pid: int) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def monotonic() -> float:
    return time.perf_counter()
