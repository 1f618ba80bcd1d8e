"""The Jobs page (admins only) against a real Redis and a real RQ worker: queues and
failed jobs with their exception, retry and delete as audited, CSRF-checked POSTs."""
from __future__ import annotations

from rq import Queue
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.redis import get_redis
from app.extensions import db
from tests.admin.conftest import BackOffice
from tests.conftest import make_client
from tests.jobs.test_worker import run_worker


def _signed_in(app, factories, role="admin") -> BackOffice:
    staff = factories.staff(role)
    bo = BackOffice(make_client(app))
    assert bo.login(staff.email).status_code == 302
    return bo


def _failed_job(app, smtp_port):
    conn = get_redis(app)
    job = Queue("default", connection=conn).enqueue("tests.jobs.failing.boom", "<b>x</b>")
    done = run_worker(app, smtp_port, "default")
    assert done.returncode == 0, done.stderr
    assert job.id in FailedJobRegistry("default", connection=conn).get_job_ids()
    return job


def test_failed_job_shown_with_its_exception_then_retried_and_deleted(redis_app, factories,
                                                                      smtp_server):
    job = _failed_job(redis_app, smtp_server[1])
    bo = _signed_in(redis_app, factories)
    html = bo.get("/admin/jobs/").get_data(as_text=True)
    assert job.id in html and "tests.jobs.failing.boom" in html
    assert "RuntimeError: boom: &lt;b&gt;x&lt;/b&gt;" in html  # escaped, never markup
    assert "outbox-redispatch" in html and "payments-reconcile" in html  # the schedule

    resp = bo.post("/admin/jobs/retry", {"job_id": job.id}, token_from="/admin/jobs/")
    assert resp.status_code == 302
    conn = get_redis(redis_app)
    assert job.id in Queue("default", connection=conn).job_ids
    assert job.id not in FailedJobRegistry("default", connection=conn).get_job_ids()

    resp = bo.post("/admin/jobs/delete", {"job_id": job.id}, token_from="/admin/jobs/")
    assert resp.status_code == 302
    assert job.id not in Queue("default", connection=conn).job_ids
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "job", AuditEntry.target_id == job.id)
        .order_by(AuditEntry.seq)).all()
    assert actions == ["job.retry", "job.delete"]


def test_retry_refuses_a_job_that_has_not_failed(redis_app, factories):
    job = Queue("default", connection=get_redis(redis_app)).enqueue("tests.jobs.failing.boom", "y")
    bo = _signed_in(redis_app, factories)
    resp = bo.post("/admin/jobs/retry", {"job_id": job.id}, token_from="/admin/jobs/")
    assert resp.status_code == 302
    assert "has not failed" in bo.get("/admin/jobs/").get_data(as_text=True)
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.retry")).all() == []


def test_jobs_page_needs_an_admin_and_a_csrf_token(redis_app, factories, smtp_server):
    job = _failed_job(redis_app, smtp_server[1])
    support = _signed_in(redis_app, factories, "support")
    assert support.get("/admin/jobs/").status_code == 403
    resp = support.post("/admin/jobs/delete", {"job_id": job.id}, token_from="/admin/account/password")
    assert resp.status_code == 403
    admin = _signed_in(redis_app, factories)
    forged = admin.client.post("/admin/jobs/delete", data={"job_id": job.id})
    assert forged.status_code == 400  # no CSRF token
    assert job.id in FailedJobRegistry("default", connection=get_redis(redis_app)).get_job_ids()


def test_embedded_mode_says_jobs_run_inline(login_as):
    bo, _ = login_as("admin")
    html = bo.get("/admin/jobs/").get_data(as_text=True)
    assert "jobs run inline" in html and "invoice-reminders" in html
