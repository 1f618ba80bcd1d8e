"""An RQ worker bound to the Flask app: jobs run inside an app context, in a forked
child that drops the database connections it inherited from the parent, with the request
id, actor and trace of whoever enqueued them (job meta) in their logs, audit entries and
spans. The parent counts each job's outcome and run time (one process per worker, so its
metrics files stay few; a work horse is a new process per job)."""
from __future__ import annotations

import time

from rq import Worker


class AppJobMixin:
    flask_app = None  # set by the CLI before work() starts

    def perform_job(self, job, queue):
        from app import tracing
        from app.core.requestid import job_origin
        from app.extensions import db

        with self.flask_app.app_context(), job_origin(job.meta), \
                tracing.job_span(self.flask_app, job):
            # Inherited pooled connections belong to the parent: never reuse them here.
            db.engine.dispose(close=False)
            for name in ("nextgen_read_engine", "nextgen_replica_engine"):
                engine = self.flask_app.extensions.get(name)
                if engine is not None:
                    engine.dispose(close=False)
            try:
                return super().perform_job(job, queue)
            finally:
                db.session.remove()


class AppWorker(AppJobMixin, Worker):
    def execute_job(self, job, queue):
        started = time.perf_counter()
        try:
            super().execute_job(job, queue)
        finally:
            self._observe(job, queue, time.perf_counter() - started)

    def _observe(self, job, queue, seconds: float) -> None:
        from app import metrics

        try:
            status = job.get_status(refresh=True)
        except Exception:  # the job expired or was deleted meanwhile
            status = None
        # "scheduled" here is a failure RQ will retry after its backoff.
        metrics.observe_job(queue.name, getattr(status, "value", None) or "unknown", seconds)
