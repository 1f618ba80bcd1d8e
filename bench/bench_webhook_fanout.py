"""Webhook fan-out: 1,000 order.placed events to 10 endpoints (10,000 signed deliveries to
a local HTTP receiver) through the Procfile's RQ worker (`flask rq worker --burst
webhooks`, pinned like the app server): deliveries per second against bare no-op RQ jobs
per second on the same worker command and queue.

Side A counts the whole path: the fan-out job per event (render the order as the API does,
store the event, one delivery row per endpoint, enqueue), then one job per delivery
(claim, sign, POST, record the attempt). Side B is 10,000 jobs that do nothing. Each side's
time is from its first job's start to its last job's end (RQ's own timestamps), so
worker start-up is in neither. Needs Redis (BENCH_REDIS_URL, default db 12)."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.context import ROOT, VENV_BIN
from bench.inproc import InProcessComparison, fmt, run_in_app

DESCRIPTION = ("webhook fan-out, 1,000 events x 10 endpoints through the RQ worker: "
               "deliveries/s vs no-op RQ jobs/s on the same worker")
GOAL = 0.5
EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "1000"))
ENDPOINTS = 10
QUEUE = "webhooks"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # One write: headers and body in separate segments would wait for a delayed ACK
        # (Nagle), 40 ms a request that no real receiver costs.
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def log_message(self, *args):
        pass


def _receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _elapsed(conn) -> tuple[float, int]:
    """(seconds from the first job's start to the last one's end, jobs) of the run."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    failed = FailedJobRegistry(QUEUE, connection=conn).get_job_ids()
    if failed:
        raise RuntimeError(f"{len(failed)} job(s) failed, e.g. "
                           f"{Job.fetch(failed[0], connection=conn).latest_result()}")
    ids = FinishedJobRegistry(QUEUE, connection=conn).get_job_ids()
    jobs = [j for j in Job.fetch_many(ids, connection=conn) if j is not None]
    started = min(j.started_at for j in jobs)
    ended = max(j.ended_at for j in jobs)
    return (ended - started).total_seconds(), len(jobs)


def run(ctx):
    from redis import Redis
    from rq import Queue

    redis_url = ctx.settings.redis_url or DEFAULT_REDIS
    conn = Redis.from_url(redis_url)
    env = {"REDIS_URL": redis_url, "JOBS_INLINE": "0", "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
           "LOG_LEVEL": "WARNING"}
    server, url = _receiver()
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

    def webhooks() -> dict:
        run_in_app(ctx, "bench.webhook_data:reset", env=env, pin=False)
        conn.flushdb()
        run_in_app(ctx, "bench.webhook_data:publish", env=env, pin=False,
                   order_id=order_id, events=EVENTS)
        work()
        seconds, jobs = _elapsed(conn)
        got = run_in_app(ctx, "bench.webhook_data:delivered", env=env, pin=False)
        if got["succeeded"] != EVENTS * ENDPOINTS or got["attempts"] != got["deliveries"]:
            raise RuntimeError(f"not every delivery succeeded at once: {got}")
        return {"per_s": got["succeeded"] / seconds, "seconds": seconds, "jobs": jobs}

    def noops() -> dict:
        conn.flushdb()
        queue = Queue(QUEUE, connection=conn)
        n = EVENTS * ENDPOINTS
        for start in range(0, n, 1000):
            queue.enqueue_many([Queue.prepare_data("bench.webhook_data.noop")
                                for _ in range(min(1000, n - start))])
        work()
        seconds, jobs = _elapsed(conn)
        return {"per_s": jobs / seconds, "seconds": seconds, "jobs": jobs}

    try:
        ctx.prepare_database()
        order_id = run_in_app(ctx, "bench.webhook_data:seed", env=env, pin=False,
                              receiver_url=url, endpoints=ENDPOINTS)["order_id"]
        a, b = [], []
        for i in range(max(1, ctx.settings.pairs)):
            order = ((a, webhooks), (b, noops)) if i % 2 == 0 else ((b, noops), (a, webhooks))
            for side, fn in order:
                side.append(fn())
            ctx.out(f"    pair {i + 1}: {a[-1]['per_s']:7.1f} deliveries/s / "
                    f"{b[-1]['per_s']:7.1f} no-op jobs/s = {a[-1]['per_s'] / b[-1]['per_s']:.3f}")
    finally:
        server.shutdown()
        conn.flushdb()
    return InProcessComparison(
        label="webhook_fanout", ratios=[x["per_s"] / y["per_s"] for x, y in zip(a, b)],
        goal=GOAL, unit="ratio deliveries/s / no-op jobs/s",
        sides=[f"A {EVENTS:,} events x {ENDPOINTS} endpoints ({a[0]['jobs']:,} jobs): "
               f"deliveries/s {fmt(x['per_s'] for x in a)}",
               f"B {EVENTS * ENDPOINTS:,} no-op jobs: jobs/s {fmt(x['per_s'] for x in b)}"],
        notes=["one `flask rq worker --burst webhooks` per run (the Procfile's worker: a forked "
               "work horse per job), pinned like the app server; receiver: a threaded "
               "http.server on 127.0.0.1 answering 200",
               f"time per side: first job start to last job end (RQ timestamps); "
               f"{ctx.settings.pairs} interleaved pairs"])

