"""Notification sends through real RQ workers (`flask rq worker --burst`) on Redis: the
retry is a new job enqueued by the failed one (backoff 0 here), and a duplicated job
sends nothing twice."""
from rq import Queue
from sqlalchemy import select

from app.core.redis import get_redis
from app.core.uow import unit_of_work
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.service import JOB_FUNC, Recipient, notify
from tests.jobs.test_worker import run_worker

REFUND = {"name": "Ada", "order_label": "#1042", "invoice_number": None, "amount": "12.00 EUR"}


def _queue(redis_app) -> Queue:
    return Queue("email", connection=get_redis(redis_app))


def test_smtp_busy_twice_then_accepting_gives_one_message_after_three_attempts(
        redis_app, _flaky_smtp_server, monkeypatch):
    handler, port = _flaky_smtp_server
    handler.replies[:] = ["451 4.3.0 Try again later"] * 2
    handler.attempts = 0
    handler.inner.messages.clear()
    monkeypatch.setenv("NOTIFY_BACKOFF_SECONDS", "0")
    with unit_of_work():
        [row] = notify(Recipient(email="ada@example.com"), "refund_issued", REFUND,
                       dedupe_key="rq-1")
    assert _queue(redis_app).job_ids == [f"notify-{row.id}-0"]  # enqueued after commit

    done = run_worker(redis_app, port, "email")
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    row = db.session.get(Notification, row.id)
    assert (row.status, row.attempts, row.error) == ("sent", 3, None)
    assert handler.attempts == 3 and len(handler.inner.wait_for(1)) == 1


def test_a_duplicated_job_sends_once(redis_app, smtp_server):
    mailbox, port = smtp_server
    with unit_of_work():
        [row] = notify(Recipient(email="ada@example.com"), "refund_issued", REFUND,
                       dedupe_key="rq-2")
    _queue(redis_app).enqueue(JOB_FUNC, str(row.id), job_id=f"notify-{row.id}-dup")
    assert len(_queue(redis_app).job_ids) == 2

    done = run_worker(redis_app, port, "email")
    assert done.returncode == 0, done.stderr
    assert len(mailbox.wait_for(2, timeout=1)) == 1
    db.session.expire_all()
    assert db.session.scalars(select(Notification.attempts)).all() == [1]
