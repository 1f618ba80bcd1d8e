"""An RQ worker bound to the Flask app: jobs run inside an app context, in a forked
child that drops the database connections it inherited from the parent."""
from __future__ import annotations

from rq import Worker


class AppWorker(Worker):
    flask_app = None  # set by the CLI before work() starts

    def perform_job(self, job, queue):
        from app.extensions import db

        with self.flask_app.app_context():
            # Inherited pooled connections belong to the parent: never reuse them here.
            db.engine.dispose(close=False)
            read_engine = self.flask_app.extensions.get("nextgen_read_engine")
            if read_engine is not None:
                read_engine.dispose(close=False)
            try:
                return super().perform_job(job, queue)
            finally:
                db.session.remove()
