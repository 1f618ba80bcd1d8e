"""The daily retention job (jobs.periodic.purge_retention) through a real RQ worker."""
from __future__ import annotations

from rq import Queue
from rq.registry import FailedJobRegistry, FinishedJobRegistry
from sqlalchemy import select

from app.events.models import EventDelivery, OutboxEvent
from app.extensions import db
from tests import retention_support as rows
from tests.jobs.test_worker import _conn, run_worker


def test_the_scheduled_purge_runs_in_a_worker(redis_app):
    from jobs.periodic import SCHEDULE

    [item] = [p for p in SCHEDULE if p.name == "retention-purge"]
    old = rows.outbox_event(45)
    kept = rows.outbox_event(45, dispatched=False, statuses={})
    db.session.commit()
    conn = _conn(redis_app)
    job = Queue(item.queue, connection=conn).enqueue(item.func)

    done = run_worker(redis_app, 9, item.queue)
    assert done.returncode == 0, done.stderr
    assert job.id in FinishedJobRegistry(item.queue, connection=conn).get_job_ids(), done.stderr
    assert FailedJobRegistry(item.queue, connection=conn).get_job_ids() == []
    job.refresh()
    assert job.return_value()["outbox_events"] == 1
    db.session.expire_all()
    assert list(db.session.scalars(select(OutboxEvent.id))) == [kept]
    assert db.session.scalars(
        select(EventDelivery).where(EventDelivery.event_id == old)).all() == []
