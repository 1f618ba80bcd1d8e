"""`flask rq worker`: the Procfile's worker. The app exists before the fork."""
import click
from flask import Flask, current_app
from rq import Queue
from sqlalchemy.orm import configure_mappers

from app.core.redis import get_redis
from app.events.registry import QUEUES


def register(app: Flask) -> None:
    @app.cli.group("rq")
    def rq():
        """Background jobs."""

    @rq.command("worker")
    @click.argument("queues", nargs=-1)
    @click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
    @click.option("--no-scheduler", is_flag=True, help="Do not run periodic jobs here.")
    def worker(queues, burst, no_scheduler):
        """Run a worker on QUEUES (default: all), with the RQ and periodic schedulers."""
        from jobs.periodic import SchedulerThread
        from jobs.worker import AppWorker

        conn = get_redis()
        if conn is None:
            raise click.ClickException("REDIS_URL is not set: jobs run inline in this mode.")
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
        scheduler = None
        if not no_scheduler and not burst:
            scheduler = SchedulerThread(conn)
            scheduler.start()
        try:
            w.work(burst=burst, with_scheduler=True,
                   logging_level=current_app.config["LOG_LEVEL"])
        finally:
            if scheduler:
                scheduler.stopped.set()
