"""Events through real RQ workers on Redis, sending to a real SMTP server."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rq import Queue
from rq.registry import FailedJobRegistry, ScheduledJobRegistry
from sqlalchemy import select

from app.events.models import EventDelivery, OutboxEvent
from app.extensions import db
from tests import services
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def run_worker(app, smtp_port: int, *queues: str, timeout: int = 60) -> subprocess.CompletedProcess:
    """`flask rq worker --burst`, the Procfile's worker command, in its own process."""
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "APP_ENV": "testing",
        "SECRET_KEY": app.config["SECRET_KEY"],
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "INSTANCE_PATH": app.config["INSTANCE_PATH"],
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "PASSWORD_HASH_PROFILE": "owasp-minimum",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "rq", "worker", "--burst", *queues],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )


def _conn(app):
    from app.core.redis import get_redis

    return get_redis(app)


def test_registration_email_goes_through_rq_worker_once(redis_app, redis_client, smtp_server):
    mailbox, port = smtp_server
    resp = redis_client.post("/api/v1/auth/register", json={"email": "q@example.com", "password": PASSWORD})
    assert resp.status_code == 202
    evt = db.session.scalars(select(OutboxEvent)).one()
    assert evt.dispatched_at is not None
    queue = Queue("email", connection=_conn(redis_app))
    assert queue.job_ids == [f"evt-{evt.id}-email_verify"]
    assert mailbox.messages == []  # nothing sent inside the request

    done = run_worker(redis_app, port, "email")
    assert done.returncode == 0, done.stderr
    [message] = mailbox.wait_for(1)
    assert message["To"] == "q@example.com"
    assert message["X-Idempotency-Key"] == f"{evt.id}:verify"
    delivery = db.session.scalars(select(EventDelivery)).one()
    assert (delivery.status, delivery.attempts) == ("done", 1)

    # The same event handed over again (a re-dispatch, a duplicate enqueue): no second email.
    from app.events.dispatch import dispatch

    dispatch([evt.id])
    again = run_worker(redis_app, port, "email")
    assert again.returncode == 0, again.stderr
    assert len(mailbox.messages) == 1


def test_redis_down_at_commit_loses_nothing(redis_app, redis_client, smtp_server, monkeypatch):
    from redis import Redis

    mailbox, port = smtp_server
    dead = Redis.from_url(f"redis://127.0.0.1:{services_free_port()}/0", socket_connect_timeout=0.5)
    monkeypatch.setitem(redis_app.extensions, "nextgen_redis", dead)
    resp = redis_client.post("/api/v1/auth/register", json={"email": "down@example.com", "password": PASSWORD})
    assert resp.status_code == 202  # the user is registered even though Redis is down
    evt = db.session.scalars(select(OutboxEvent)).one()
    assert evt.dispatched_at is None

    monkeypatch.undo()  # Redis is back
    from app.events.dispatch import redispatch_stale

    assert redispatch_stale(older_than_seconds=0) == 1
    db.session.expire_all()
    assert db.session.get(OutboxEvent, evt.id).dispatched_at is not None
    done = run_worker(redis_app, port, "email")
    assert done.returncode == 0, done.stderr
    [message] = mailbox.wait_for(1)
    assert message["To"] == "down@example.com"


def test_failed_send_is_retried_with_backoff(redis_app, redis_client):
    from app.notifications.models import Notification

    resp = redis_client.post("/api/v1/auth/register", json={"email": "retry@example.com", "password": PASSWORD})
    assert resp.status_code == 202
    conn = _conn(redis_app)

    closed_port = services_free_port()  # nothing listens: the SMTP connection fails
    done = run_worker(redis_app, closed_port, "email")
    assert done.returncode == 0, done.stderr
    # The handler's part (queue the message) is done; the send is what is retried.
    delivery = db.session.scalars(select(EventDelivery)).one()
    assert delivery.status == "done" and delivery.attempts == 1
    row = db.session.scalars(select(Notification)).one()
    assert (row.status, row.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in row.error
    # Not failed for good: scheduled again, after the first backoff interval.
    assert f"notify-{row.id}-1" in ScheduledJobRegistry("email", connection=conn).get_job_ids()
    assert FailedJobRegistry("email", connection=conn).get_job_ids() == []


def test_periodic_jobs_are_enqueued_by_one_leader_and_not_again_after_a_restart(redis_app):
    from jobs.periodic import SCHEDULE, build_scheduler

    conn = _conn(redis_app)
    leader, standby = build_scheduler(conn), build_scheduler(conn)
    first = leader.enqueue_jobs()
    assert sorted(j.name for j in first) == sorted(p.name for p in SCHEDULE)
    assert standby.enqueue_jobs() == []  # another scheduler process: stands by
    assert leader.enqueue_jobs() == []  # nothing due yet
    queued = Queue("default", connection=conn).get_jobs()
    assert {j.meta["periodic"] for j in queued} == {p.name for p in SCHEDULE if p.queue == "default"}

    leader.resign()  # stopped: the standby takes over, resuming from RQ's history
    assert standby.enqueue_jobs() == []
    fresh = build_scheduler(conn)  # and a restarted one does not run everything again
    assert fresh.enqueue_jobs() == []


def test_flask_rq_cron_enqueues_periodic_jobs_a_worker_runs(redis_app, smtp_server):
    """The Procfile's scheduler and worker, as processes: the scheduler's jobs are run."""
    import time

    from rq.registry import FinishedJobRegistry

    conn = _conn(redis_app)
    env = {**os.environ, "FLASK_APP": "wsgi", "APP_ENV": "testing",
           "SECRET_KEY": redis_app.config["SECRET_KEY"],
           "DATABASE_URL": redis_app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": redis_app.config["REDIS_URL"],
           "INSTANCE_PATH": redis_app.config["INSTANCE_PATH"], "LOG_LEVEL": "WARNING"}
    cron = subprocess.Popen([sys.executable, "-m", "flask", "rq", "cron"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Queue("webhooks", connection=conn).count == 0:
            time.sleep(0.2)
    finally:
        cron.terminate()
        cron.wait(10)
    assert Queue("webhooks", connection=conn).count == 1, cron.stderr.read()
    done = run_worker(redis_app, smtp_server[1], "default", "webhooks")
    assert done.returncode == 0, done.stderr
    finished = FinishedJobRegistry("default", connection=conn).get_job_ids()
    assert len(finished) >= 5, done.stderr  # outbox, reminders, purge, reconcile, archive
    assert conn.get("nextgen:cron:leader") is None  # released on a clean stop


def services_free_port() -> int:
    from tests.conftest import free_port

    return free_port()
