"""Periodic jobs, enqueued by RQ's cron scheduler (`flask rq cron`, the Procfile's
`scheduler`): one leader among any number of scheduler processes."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from redis import Redis
from rq.cron import CronJob, CronScheduler
from rq.utils import import_attribute

from app import retention
from app.audit import archive as audit_archive
from app.core.errors import DomainError
from app.core.uow import unit_of_work
from app.events import dispatch
from app.idempotency import service as idempotency
from app.invoices import service as invoices
from app.payments import reconciliation, refunds, stalled

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


def purge_retention() -> dict[str, int]:
    # Not in one unit of work: each batch commits on its own (app.retention).
    return retention.purge()


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


def resume_stalled_refunds() -> dict:
    """Refunds a stopped process left pending, asked of the gateway again (see
    app.payments.stalled): each in its own transactions, as a request would, so one
    gateway refusal or outage does not hold up the others."""
    with unit_of_work():
        ids, old = stalled.due(), stalled.too_old()
    outcome = {"resumed": 0, "settled": 0, "still_pending": 0, "errors": 0}
    for refund_id in ids:
        with unit_of_work():
            call = stalled.call_for(refund_id)
        if call is None:
            continue
        outcome["resumed"] += 1
        with unit_of_work():
            try:
                done = refunds.execute(call, resumable=True)
            except DomainError as exc:  # recorded by execute: failed, or pending for later
                log.warning("stalled refund %s: %s", refund_id, exc.message)
                outcome["errors"] += 1
                continue
            outcome["settled" if done.status != "pending" else "still_pending"] += 1
    if old:
        log.warning("%s refund(s) pending for more than a day: see reconciliation", old)
    log.info("stalled refunds: %s", outcome)
    return outcome


def archive_audit() -> str | None:
    """Archives what is old enough, telling the dashboard when it starts and how it ends
    (after the commit: "done" is only said of entries that really left)."""
    from app import live

    def progress(status: str, text: str, done: int = 0, total: int | None = None) -> None:
        live.job_progress("audit_archive", "audit-archive", done=done, total=total,
                          status=status, text=text, url="/admin/jobs/")

    progress("running", "Audit archive: looking for entries to archive")
    try:
        with unit_of_work():
            record = audit_archive.archive_old()
            done = (record.name, record.entries) if record else None
    except Exception:
        progress("failed", "Audit archive failed: see the Jobs page")
        raise
    if done is None:
        progress("done", "Audit archive: nothing old enough to archive")
        return None
    name, count = done
    progress("done", f"Audit archive: {count} entries archived ({name})", count, count)
    return name


SCHEDULE = [
    Periodic("outbox-redispatch", "jobs.periodic.redispatch_outbox", 30),
    Periodic("invoice-reminders", "jobs.periodic.invoice_reminders", 3600),
    Periodic("idempotency-purge", "jobs.periodic.purge_idempotency_keys", 3600),
    Periodic("payments-reconcile", "jobs.periodic.reconcile_payments", 3600),
    Periodic("refunds-resume", "jobs.periodic.resume_stalled_refunds", 300),
    Periodic("webhooks-retry", "jobs.webhooks.retry_due", 60, "webhooks"),
    Periodic("notifications-sweep", "jobs.notifications.sweep", 60, "email"),
    Periodic("audit-archive", "jobs.periodic.archive_audit", 86400),
    Periodic("retention-purge", "jobs.periodic.purge_retention", 86400),
]

LEADER_KEY = "nextgen:cron:leader"
LEADER_TTL = 120  # more than the scheduler's longest sleep (60 s)


class LeaderCronScheduler(CronScheduler):
    """RQ's cron scheduler (`rq.cron`), safe to run in more than one process: only the
    one holding the leader key enqueues, the others stand by and take over when it stops
    renewing it. Each job's last run is read back from RQ's own history of the jobs it
    enqueued, so a restart or a new leader does not run everything again at once."""

    def _lead(self) -> bool:
        conn = self.connection
        if conn.set(LEADER_KEY, self.name, nx=True, ex=LEADER_TTL):
            self._resume_from_history()
            return True
        holder = conn.get(LEADER_KEY)
        if holder is not None and holder.decode() == self.name:
            conn.expire(LEADER_KEY, LEADER_TTL)
            return True
        return False

    def _resume_from_history(self) -> None:
        for job in self._cron_jobs:
            newest = self.connection.zrange(job.job_history_key, 0, 0, desc=True,
                                            withscores=True)
            if newest:
                job.set_enqueue_time(datetime.fromtimestamp(newest[0][1], tz=timezone.utc))

    def enqueue_jobs(self) -> list[CronJob]:
        if not self._lead():
            return []
        return super().enqueue_jobs()

    def resign(self) -> None:
        """Give up the lead (on a clean stop) so a standby takes over at once."""
        holder = self.connection.get(LEADER_KEY)
        if holder is not None and holder.decode() == self.name:
            self.connection.delete(LEADER_KEY)

    def register_death(self, pipeline=None) -> None:
        self.resign()
        super().register_death(pipeline)


def build_scheduler(conn: Redis, schedule=None, **kwargs) -> LeaderCronScheduler:
    scheduler = LeaderCronScheduler(conn, **kwargs)
    for item in SCHEDULE if schedule is None else schedule:
        scheduler.register(import_attribute(item.func), item.queue, interval=item.every_seconds,
                           name=item.name, meta={"periodic": item.name})
    return scheduler


def schedule_table(conn: Redis | None) -> list[dict]:
    """The periodic jobs with their last and next run, for the back office."""
    rows = []
    for item in SCHEDULE:
        last = None
        if conn is not None:
            newest = conn.zrange(f"rq:cron_job:{item.name}:jobs", 0, 0, desc=True,
                                 withscores=True)
            if newest:
                last = datetime.fromtimestamp(newest[0][1], tz=timezone.utc)
        rows.append({"name": item.name, "func": item.func, "queue": item.queue,
                     "every_seconds": item.every_seconds, "last_enqueued_at": last,
                     "next_at": last + timedelta(seconds=item.every_seconds) if last else None})
    return rows
