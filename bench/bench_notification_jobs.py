"""Notification jobs: 2,000 emails through the Procfile's RQ worker (`flask rq worker
--burst email`, pinned like the app server) to a local SMTP server (aiosmtpd): sends
per second against bare no-op RQ jobs per second on the same worker command and queue.

Side A is the send path as production runs it: notify() queues the messages (before the
clock starts: the producer's cost, not the job's), and after each commit the
transaction's messages go to one send job (jobs.notifications.send_many; 100 per
transaction by default, BENCH_NOTIFICATION_PER_TRANSACTION=1 for one job per message as
a request sending one email). Per message: claim the row (guarded UPDATE + commit),
build the MIME message (text + HTML), send over the job's one SMTP session, record "sent"
(commit). Side B is as many jobs that do nothing as side A has messages. Each side's
time is from its first job's start to its last job's end (RQ's own timestamps), so
worker start-up is in neither. Needs Redis (BENCH_REDIS_URL, default db 13)."""
from __future__ import annotations

import os
import subprocess
import uuid

from bench.context import ROOT, VENV_BIN
from bench.inproc import InProcessComparison, fmt, run_in_app

DESCRIPTION = ("notification jobs, 2,000 emails through the RQ worker to local SMTP: "
               "sends/s vs no-op RQ jobs/s on the same worker")
GOAL = 0.8
MESSAGES = int(os.environ.get("BENCH_NOTIFICATION_MESSAGES", "2000"))
# Messages queued per transaction: 100 (a batch such as the reminders run: one job of
# 100 sharing an SMTP session) or 1 (a request sending one email: one job per message).
PER_TRANSACTION = int(os.environ.get("BENCH_NOTIFICATION_PER_TRANSACTION", "100"))
QUEUE = "email"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


class _Sink:
    """Accepts every message and keeps only a count (the SMTP server is not measured)."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _smtp():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink, port


def _elapsed(conn) -> tuple[float, int]:
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    failed = FailedJobRegistry(QUEUE, connection=conn).get_job_ids()
    if failed:
        raise RuntimeError(f"{len(failed)} job(s) failed, e.g. "
                           f"{Job.fetch(failed[0], connection=conn).latest_result()}")
    ids = FinishedJobRegistry(QUEUE, connection=conn).get_job_ids()
    jobs = [j for j in Job.fetch_many(ids, connection=conn) if j is not None]
    return (max(j.ended_at for j in jobs) - min(j.started_at for j in jobs)).total_seconds(), len(jobs)


def run(ctx):
    from redis import Redis
    from rq import Queue

    redis_url = ctx.settings.redis_url or DEFAULT_REDIS
    conn = Redis.from_url(redis_url)
    controller, sink, port = _smtp()
    env = {"REDIS_URL": redis_url, "JOBS_INLINE": "0", "LOG_LEVEL": "WARNING",
           "MAIL_BACKEND": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}
    worker_cmd = [str(VENV_BIN / "flask"), "--app", "wsgi", "rq", "worker", "--burst", QUEUE]
    if ctx.server_cpus is not None:
        worker_cmd = ["taskset", "-c", ctx.server_cpus, *worker_cmd]

    def work() -> None:
        proc = ctx.reaper.popen("rq worker", worker_cmd, cwd=ROOT, env=ctx.app_env(**env),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _, err = proc.communicate(timeout=1800)
        finally:
            ctx.reaper.stop(proc)
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed: {err[-3000:]}")

    def notifications() -> dict:
        run_in_app(ctx, "bench.notification_data:reset", env=env, pin=False)
        conn.flushdb()
        before = sink.count
        run_in_app(ctx, "bench.notification_data:queue", env=env, pin=False,
                   count=MESSAGES, run=uuid.uuid4().hex[:8], per_transaction=PER_TRANSACTION)
        work()
        seconds, jobs = _elapsed(conn)
        got = run_in_app(ctx, "bench.notification_data:sent", env=env, pin=False)
        if got["sent"] != MESSAGES or got["attempts"] != MESSAGES or sink.count - before != MESSAGES:
            raise RuntimeError(f"not every message was sent exactly once: {got}, "
                               f"smtp received {sink.count - before}")
        return {"per_s": MESSAGES / seconds, "seconds": seconds, "jobs": jobs}

    def noops() -> dict:
        conn.flushdb()
        queue = Queue(QUEUE, connection=conn)
        for start in range(0, MESSAGES, 1000):
            queue.enqueue_many([Queue.prepare_data("bench.notification_data.noop")
                                for _ in range(min(1000, MESSAGES - start))])
        work()
        seconds, jobs = _elapsed(conn)
        return {"per_s": jobs / seconds, "seconds": seconds, "jobs": jobs}

    try:
        ctx.prepare_database()
        a, b = [], []
        for i in range(max(1, ctx.settings.pairs)):
            order = ((a, notifications), (b, noops)) if i % 2 == 0 else ((b, noops), (a, notifications))
            for side, fn in order:
                side.append(fn())
            ctx.out(f"    pair {i + 1}: {a[-1]['per_s']:7.1f} sends/s / "
                    f"{b[-1]['per_s']:7.1f} no-op jobs/s = {a[-1]['per_s'] / b[-1]['per_s']:.3f}")
    finally:
        controller.stop()
        conn.flushdb()
    jobs_a = a[0]["jobs"]
    return InProcessComparison(
        label="notification_jobs", ratios=[x["per_s"] / y["per_s"] for x, y in zip(a, b)],
        goal=GOAL, unit="ratio sends/s / no-op jobs/s",
        sides=[f"A {MESSAGES:,} emails, {PER_TRANSACTION} per transaction and job (claim, MIME "
               f"text+HTML, SMTP, record; {jobs_a} jobs): sends/s "
               f"{fmt(x['per_s'] for x in a)}",
               f"B {MESSAGES:,} no-op jobs: jobs/s {fmt(x['per_s'] for x in b)}"],
        notes=["one `flask rq worker --burst email` per run (the Procfile's worker: a forked "
               "work horse per job), pinned like the app server; SMTP: aiosmtpd on 127.0.0.1 "
               "in the benchmark process, accepting every message",
               f"time per side: first job start to last job end (RQ timestamps); "
               f"{ctx.settings.pairs} interleaved pairs"])
