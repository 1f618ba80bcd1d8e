"""Periodic jobs, each enqueued at most once per interval across all workers."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from app.core.uow import unit_of_work
from app.events import dispatch
from app.idempotency import service as idempotency
from app.invoices import service as invoices
from app.payments import reconciliation

log = logging.getLogger(__name__)


def redispatch_outbox() -> int:
    return dispatch.redispatch_stale()


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    every_seconds: int
    queue: str = "default"


@unit_of_work()
def invoice_reminders() -> int:
    return invoices.request_reminders()


@unit_of_work()
def purge_idempotency_keys() -> int:
    return idempotency.purge_expired()


def reconcile_payments() -> dict:
    """The configured gateways' recent payments and refunds against ours (see
    app.payments.reconciliation): ours read in one transaction, the gateway asked with
    none open, the comparison committed in another. One gateway failing does not stop
    the others; the job still fails (and is retried) when one did."""
    since = reconciliation.window_start()
    totals, failed = {}, []
    for name in reconciliation.gateways_to_check():
        with unit_of_work():
            ours = reconciliation.ours(name, since)
        try:
            remotes = reconciliation.fetch(name, since, ours)
        except Exception:
            log.exception("reconciliation: %s could not be listed", name)
            failed.append(name)
            continue
        with unit_of_work():
            totals[name] = dict(reconciliation.compare(name, remotes))
    log.info("reconciliation: %s", totals)
    if failed:
        raise RuntimeError(f"reconciliation could not list {', '.join(failed)}")
    return totals


SCHEDULE = [
    Periodic("outbox-redispatch", "jobs.periodic.redispatch_outbox", 30),
    Periodic("invoice-reminders", "jobs.periodic.invoice_reminders", 3600),
    Periodic("idempotency-purge", "jobs.periodic.purge_idempotency_keys", 3600),
    Periodic("payments-reconcile", "jobs.periodic.reconcile_payments", 3600),
    Periodic("webhooks-retry", "jobs.webhooks.retry_due", 60, "webhooks"),
    Periodic("notifications-sweep", "jobs.notifications.sweep", 60, "email"),
]


def tick(conn: Redis, now: float | None = None) -> list[str]:
    """Enqueue every periodic job whose interval slot is not yet claimed.

    The slot key (name + interval number) is claimed with SET NX, so any number of
    workers running this enqueue each job once per interval.
    """
    now = time.time() if now is None else now
    enqueued = []
    for item in SCHEDULE:
        slot = int(now // item.every_seconds)
        if conn.set(f"nextgen:periodic:{item.name}:{slot}", "1", nx=True,
                    ex=item.every_seconds * 2):
            Queue(item.queue, connection=conn).enqueue(
                item.func, job_id=f"periodic-{item.name}-{slot}",
                description=f"periodic {item.name}")
            enqueued.append(item.name)
    return enqueued


class SchedulerThread(threading.Thread):
    def __init__(self, conn: Redis, interval: float = 5.0):
        super().__init__(name="periodic-scheduler", daemon=True)
        self.conn, self.interval = conn, interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                tick(self.conn)
            except RedisError as exc:  # Redis down: try again next tick
                log.warning("periodic tick failed: %s", exc)
            self.stopped.wait(self.interval)
