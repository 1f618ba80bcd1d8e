"""The outbox: events commit with their change, and only then run."""
import pytest
from sqlalchemy import func, select

from app.core import uow
from app.events import dispatch, registry
from app.events.models import EventDelivery, OutboxEvent
from app.events.service import publish, run_handler
from app.extensions import db

CALLS = []


def _record(evt):
    CALLS.append(evt.id)


def _explode(evt):
    raise RuntimeError("smtp down")


@pytest.fixture
def test_handlers(monkeypatch):
    CALLS.clear()
    monkeypatch.setitem(registry.HANDLERS, "test.ok",
                        [registry.Handler("record", f"{__name__}:_record")])
    monkeypatch.setitem(registry.HANDLERS, "test.fail",
                        [registry.Handler("explode", f"{__name__}:_explode")])


def test_rolled_back_events_never_run(app, test_handlers):
    publish("test.ok", {})
    db.session.rollback()
    dispatch.dispatch_committed()
    assert CALLS == []
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


def test_committed_event_runs_inline_once(app, test_handlers):
    evt = publish("test.ok", {"n": 1})
    uow.commit()
    assert CALLS == [evt.id]
    assert db.session.get(OutboxEvent, evt.id).dispatched_at is not None
    assert run_handler(evt.id, "record") == "skipped"  # idempotent by event id
    assert CALLS == [evt.id]


def test_failing_inline_handler_is_recorded_and_left_for_redispatch(app, test_handlers, caplog):
    evt = publish("test.fail", {})
    uow.commit()  # the caller's commit stands even though the handler failed
    delivery = db.session.scalars(select(EventDelivery)).one()
    assert delivery.status == "failed" and "smtp down" in delivery.last_error
    assert db.session.get(OutboxEvent, evt.id).dispatched_at is None
    assert dispatch.redispatch_stale(older_than_seconds=0) == 0  # still failing
    assert db.session.get(EventDelivery, delivery.id).attempts == 2
