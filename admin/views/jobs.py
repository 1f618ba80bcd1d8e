"""Jobs (admins only): the RQ queues with their sizes, running, scheduled and failed jobs
(with the exception), workers, and the periodic schedule; retry and delete are CSRF-checked
POSTs that call app.queues (audited)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose

from admin.security import SecureView, actor, run
from app import queues
from app.core.redis import get_redis
from jobs.periodic import schedule_table

ADMINS = ("admin",)


class JobsView(SecureView):
    roles_read = ADMINS
    roles_write = ADMINS

    @expose("/")
    def index(self):
        return self.render("backoffice/jobs.html", overview=queues.overview(),
                           schedule=schedule_table(get_redis()))

    def _act(self, operation, done: str):
        if not self.can_write():
            return self.forbidden()
        job_id = request.form.get("job_id", "")
        ok, _ = run(operation, job_id, actor=actor())
        if ok:
            flash(done.format(job_id), "success")
        return redirect(url_for(".index"))

    @expose("/retry", methods=("POST",))
    def retry(self):
        return self._act(queues.retry, "Job {} is queued again.")

    @expose("/delete", methods=("POST",))
    def delete(self):
        return self._act(queues.delete, "Job {} deleted.")
