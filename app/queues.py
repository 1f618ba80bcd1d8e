"""The RQ queues as operators see them (sizes, running, scheduled and failed jobs), and
the two things they may do to a job: retry a failed one, delete one. Both audited."""
from __future__ import annotations

from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import (
    DeferredJobRegistry, FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry,
)
from rq.worker import Worker

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict, NotFound
from app.core.redis import get_redis
from app.events.registry import QUEUES

LISTED = 50  # per registry and queue: the page stays bounded however much piles up


def _exception(job: Job) -> str:
    result = job.latest_result()
    text = (result.exc_string if result is not None else None) or job.exc_info or ""
    return text.strip()


def _describe(job: Job, queue: str, state: str, **extra) -> dict:
    return {"id": job.id, "queue": queue, "state": state, "func": job.func_name,
            "description": job.description, "enqueued_at": job.enqueued_at,
            "started_at": job.started_at, "ended_at": job.ended_at,
            "meta": {k: v for k, v in (job.meta or {}).items() if isinstance(v, (str, int))},
            **extra}


def _jobs(conn, ids, queue, state, **extra_for):
    found = []
    for job in Job.fetch_many(ids[:LISTED], connection=conn):
        if job is not None:
            found.append(_describe(job, queue, state, **{k: f(job) for k, f in extra_for.items()}))
    return found


def overview() -> dict | None:
    """None in the embedded mode (no Redis: jobs run inline, nothing waits)."""
    conn = get_redis()
    if conn is None:
        return None
    queues, running, scheduled, failed = [], [], [], []
    for name in QUEUES:
        queue = Queue(name, connection=conn)
        started = StartedJobRegistry(name, connection=conn)
        sched = ScheduledJobRegistry(name, connection=conn)
        fail = FailedJobRegistry(name, connection=conn)
        queues.append({"name": name, "queued": queue.count, "running": started.count,
                       "scheduled": sched.count, "failed": fail.count,
                       "deferred": DeferredJobRegistry(name, connection=conn).count})
        running += _jobs(conn, started.get_job_ids(0, LISTED - 1), name, "running")
        scheduled += _jobs(conn, sched.get_job_ids(0, LISTED - 1), name, "scheduled",
                           scheduled_for=lambda j, r=sched: r.get_scheduled_time(j.id))
        failed += _jobs(conn, fail.get_job_ids(0, LISTED - 1), name, "failed",
                        exception=_exception)
    workers = [{"name": w.name, "queues": w.queue_names(), "state": w.get_state()}
               for w in Worker.all(connection=conn)]
    return {"queues": queues, "running": running, "scheduled": scheduled, "failed": failed,
            "workers": workers}


def _fetch(job_id: str) -> Job:
    conn = get_redis()
    if conn is None:
        raise NotFound("Jobs run inline here: there is no queue.")
    try:
        return Job.fetch(str(job_id)[:200], connection=conn)
    except NoSuchJobError:
        raise NotFound(f"No job {job_id!r} (finished, expired or deleted).") from None


def retry(job_id: str, actor: Actor) -> Job:
    """Put a failed job back on its queue (it runs again from the start)."""
    job = _fetch(job_id)
    if not job.is_failed:
        raise Conflict(f"Job {job.id} has not failed ({job.get_status()}): nothing to retry.")
    audit.record(actor, "job.retry", "job", job.id,
                 before={"status": "failed", "queue": job.origin, "func": job.func_name,
                         "exception": _exception(job)[-500:]})
    job.requeue()
    return job


def delete(job_id: str, actor: Actor) -> None:
    """Remove a job that is not running, from its queue and every registry."""
    job = _fetch(job_id)
    status = job.get_status()
    if status == "started":
        raise Conflict(f"Job {job.id} is running: wait for it, or stop its worker.")
    audit.record(actor, "job.delete", "job", job.id,
                 before={"status": str(status), "queue": job.origin, "func": job.func_name})
    job.delete()
