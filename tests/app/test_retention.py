"""Retention (app.retention): finished rows past their setting go, in bounded batches,
children first; recent rows and unfinished ones stay. On both databases: PostgreSQL
enforces the foreign keys, so a parent deleted before its children fails there."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, func, select

from app import retention
from app.events.models import EventDelivery, OutboxEvent
from app.extensions import db
from app.payments.models import GatewayEvent
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from tests import retention_support as rows


def _ids(model) -> set:
    db.session.expire_all()
    return set(db.session.scalars(select(model.id)))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _outbox_rows():
    """One of each case; returns (ids that must go, ids that must stay)."""
    go = {
        "all handlers done": rows.outbox_event(31),
        "a type with no handler": rows.outbox_event(40, event_type="order.shipped_nowhere",
                                                    statuses={}),
    }
    first, *others = rows.ORDER_PLACED_HANDLERS
    stay = {
        "recent": rows.outbox_event(29),
        "never dispatched": rows.outbox_event(60, dispatched=False, statuses={}),
        "a handler failed": rows.outbox_event(60, statuses={first: "failed",
                                                            **{h: "done" for h in others}}),
        "a handler pending": rows.outbox_event(60, statuses={first: "pending",
                                                             **{h: "done" for h in others}}),
        "a handler's job not run yet": rows.outbox_event(60, statuses={h: "done" for h in others}),
    }
    return go, stay


def _webhook_rows():
    endpoint = rows.endpoint()
    go_events, stay_events, go_deliveries, stay_deliveries = {}, {}, {}, {}

    e = rows.webhook_event(45)
    go_events["delivered"] = e
    go_deliveries["succeeded after 3 attempts"] = rows.delivery(e, endpoint.id, 45, "succeeded",
                                                                attempts=3)
    e = rows.webhook_event(45)
    go_events["given up"] = e
    go_deliveries["failed for good"] = rows.delivery(e, endpoint.id, 40, "failed", attempts=2)
    go_events["no delivery (no subscriber)"] = rows.webhook_event(31)

    e = rows.webhook_event(45)
    stay_events["still retrying"] = e
    stay_deliveries["pending"] = rows.delivery(e, endpoint.id, 45, "pending", attempts=4)
    e = rows.webhook_event(45)
    stay_events["being sent"] = e
    stay_deliveries["sending"] = rows.delivery(e, endpoint.id, 45, "sending", attempts=1)
    e = rows.webhook_event(45)
    stay_events["replayed last week"] = e
    stay_deliveries["replay"] = rows.delivery(e, endpoint.id, 7, "succeeded", completed_days=7)
    e = rows.webhook_event(10)
    stay_events["recent"] = e
    stay_deliveries["recent"] = rows.delivery(e, endpoint.id, 10, "succeeded")
    stay_events["recent, no delivery"] = rows.webhook_event(29)
    # Made long ago, finished only recently (retried for days): kept for its full window.
    e = rows.webhook_event(40)
    stay_events["finished late"] = e
    stay_deliveries["finished late"] = rows.delivery(e, endpoint.id, 33, "failed",
                                                     completed_days=29)
    return go_events, stay_events, go_deliveries, stay_deliveries


def test_old_finished_rows_go_and_recent_or_unfinished_rows_stay(app, caplog):
    go_outbox, stay_outbox = _outbox_rows()
    go_events, stay_events, go_deliveries, stay_deliveries = _webhook_rows()
    go_gateway = {"processed long ago": rows.gateway_event(100, 99)}
    stay_gateway = {"never processed": rows.gateway_event(100, None),
                    "processed recently": rows.gateway_event(100, 80)}
    db.session.commit()
    kept_handler_rows = _count(EventDelivery) - len(rows.ORDER_PLACED_HANDLERS)
    kept_attempts = _count(WebhookAttempt) - 5  # 3 + 2 of the two finished old deliveries

    with caplog.at_level(logging.INFO, logger="app.retention"):
        counts = retention.purge(batch_size=100)

    assert counts == {"webhook_attempts": 5, "webhook_deliveries": 2, "webhook_events": 3,
                      "event_deliveries": len(rows.ORDER_PLACED_HANDLERS),
                      "outbox_events": 2, "gateway_events": 1}
    assert f"retention: purged {sum(counts.values())} row(s)" in caplog.text
    assert _ids(OutboxEvent) == set(stay_outbox.values())
    assert _count(EventDelivery) == kept_handler_rows
    assert _ids(WebhookEvent) == set(stay_events.values())
    assert _ids(WebhookDelivery) == set(stay_deliveries.values())
    assert _count(WebhookAttempt) == kept_attempts
    assert set(db.session.scalars(select(WebhookAttempt.delivery_id))) <= set(
        stay_deliveries.values())
    assert _ids(GatewayEvent) == set(stay_gateway.values())
    assert not go_outbox.keys() & stay_outbox.keys() and go_events and go_deliveries \
        and go_gateway  # every case above was made

    # Nothing left that may go: a second run deletes nothing.
    assert sum(retention.purge().values()) == 0


def test_batches_loop_to_completion_each_in_its_own_transaction(app):
    stuck = rows.outbox_event(90, statuses={rows.ORDER_PLACED_HANDLERS[0]: "failed"})
    finished = {rows.outbox_event(60 - n, event_type="order.shipped_nowhere", statuses={})
                for n in range(7)}
    endpoint = rows.endpoint()
    for n in range(5):
        rows.delivery(rows.webhook_event(60), endpoint.id, 60 - n, "succeeded")
    for n in range(3):
        rows.gateway_event(120, 100 - n)
    db.session.commit()

    deletes, commits = [], []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("DELETE FROM outbox_events"):
            deletes.append(cursor.rowcount)

    def committed(conn):
        commits.append(1)

    engine = db.engine
    event.listen(engine, "after_cursor_execute", seen)
    event.listen(engine, "commit", committed)
    try:
        counts = retention.purge(batch_size=2)
    finally:
        event.remove(engine, "after_cursor_execute", seen)
        event.remove(engine, "commit", committed)

    assert counts["outbox_events"] == 7 and counts["webhook_deliveries"] == 5
    assert counts["webhook_events"] == 5 and counts["gateway_events"] == 3
    assert deletes == [2, 2, 2, 1]  # never more than a batch in one statement
    # A transaction per batch: 4 outbox + 3 deliveries + 3 events + 2 gateway batches
    # (a last batch smaller than the size ends its table without another look).
    assert len(commits) == 12
    assert _ids(OutboxEvent) == {stuck}
    assert not finished & _ids(OutboxEvent)
    assert _count(WebhookDelivery) == _count(WebhookEvent) == _count(GatewayEvent) == 0


@pytest.mark.parametrize("setting, table", [
    ("EVENT_RETENTION_DAYS", "outbox_events"),
    ("WEBHOOK_LOG_RETENTION_DAYS", "webhook_deliveries"),
    ("GATEWAY_EVENT_RETENTION_DAYS", "gateway_events"),
])
def test_zero_days_keeps_forever_and_the_setting_sets_the_age(app, monkeypatch, setting, table):
    rows.outbox_event(20)
    endpoint = rows.endpoint()
    rows.delivery(rows.webhook_event(20), endpoint.id, 20, "succeeded")
    rows.gateway_event(20, 20)
    db.session.commit()
    monkeypatch.setitem(app.config, setting, 0)
    assert retention.purge()[table] == 0
    monkeypatch.setitem(app.config, setting, 30)
    assert retention.purge()[table] == 0  # 20 days old: inside 30
    monkeypatch.setitem(app.config, setting, 10)
    assert retention.purge()[table] == 1


def test_flask_retention_purge_prints_the_counts(app, runner):
    rows.outbox_event(45)
    rows.outbox_event(45, dispatched=False, statuses={})
    rows.gateway_event(100, 100)
    db.session.commit()
    result = runner.invoke(args=["retention", "purge", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "outbox_events: 1 deleted" in result.output
    assert f"event_deliveries: {len(rows.ORDER_PLACED_HANDLERS)} deleted" in result.output
    assert "gateway_events: 1 deleted" in result.output
    assert "webhook_deliveries: 0 deleted" in result.output
    assert _count(OutboxEvent) == 1 and _count(GatewayEvent) == 0
    refused = runner.invoke(args=["retention", "purge", "--batch-size", "0"])
    assert refused.exit_code == 2


def test_the_periodic_job_purges_in_the_embedded_mode(app):
    from jobs.periodic import SCHEDULE, purge_retention

    assert app.config["JOBS_INLINE"] and app.config["REDIS_URL"] is None
    assert "jobs.periodic.purge_retention" in {p.func for p in SCHEDULE}
    rows.outbox_event(45)
    db.session.commit()
    assert purge_retention()["outbox_events"] == 1
    assert _count(OutboxEvent) == 0
