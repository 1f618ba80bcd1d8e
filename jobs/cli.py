"""`flask rq worker` and `flask rq cron`: the Procfile's worker and scheduler. The app
exists before the fork."""
import click
from flask import Flask, current_app
from rq import Queue
from sqlalchemy.orm import configure_mappers

from app.core.redis import get_redis
from app.events.registry import QUEUES


def _redis():
    conn = get_redis()
    if conn is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline in this mode.")
    return conn


def register(app: Flask) -> None:
    @app.cli.group("rq")
    def rq():
        """Background jobs."""

    @rq.command("worker")
    @click.argument("queues", nargs=-1)
    @click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
    @click.option("--no-scheduler", is_flag=True, hidden=True,
                  help="Ignored: periodic jobs are `flask rq cron`'s now.")
    @click.option("--metrics-port", type=int, default=None,
                  help="Serve this host's metrics (PROMETHEUS_MULTIPROC_DIR) on this port, "
                       "for hosts that run workers but no web process.")
    def worker(queues, burst, no_scheduler, metrics_port):
        """Run a worker on QUEUES (default: all), with RQ's scheduler for retries."""
        from jobs.worker import AppWorker

        if metrics_port:
            from app.metrics import serve_host_metrics

            serve_host_metrics(metrics_port)

        conn = _redis()
        AppWorker.flask_app = current_app._get_current_object()
        # Done once here rather than in every forked work horse (~10 ms a job).
        configure_mappers()
        # Likewise the job modules, the SMS SDK and the compiled message templates
        # (imported and compiled per job otherwise: ~0.3 s a notification on a busy host).
        import jobs.events  # noqa: F401
        import jobs.notifications  # noqa: F401
        import twilio.rest  # noqa: F401
        from app.notifications import templates

        templates.warm()
        names = queues or QUEUES
        w = AppWorker([Queue(n, connection=conn) for n in names], connection=conn)
        w.work(burst=burst, with_scheduler=True, logging_level=current_app.config["LOG_LEVEL"])

    @rq.command("cron")
    def cron():
        """Enqueue the periodic jobs (jobs/periodic.py) on their intervals with RQ's cron
        scheduler. Run one or more (only the leader enqueues); workers run the jobs."""
        from jobs.periodic import build_scheduler

        build_scheduler(_redis(), logging_level=current_app.config["LOG_LEVEL"]).start()
