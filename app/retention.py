"""Data retention: the rows that would otherwise grow forever (the outbox and its handler
deliveries, the partner webhook log and public webhook events, stored gateway events) are
deleted once finished and older than their setting (config.py: EVENT_RETENTION_DAYS,
WEBHOOK_LOG_RETENTION_DAYS, GATEWAY_EVENT_RETENTION_DAYS; 0 keeps them forever).

Finished means nothing will read the row to do work again:
- an outbox event: dispatched, and every handler registered for its type done (one still
  pending or failed stays, for its retry and for staff's Retry in the back office);
- a webhook delivery: succeeded or given up ("failed"); one pending or being sent stays;
- a public webhook event: none of its deliveries left (a replay asked for last week
  keeps the event it sends); after that a replay or a read of it is a 404, as for any
  unknown event, so EVENT_RETENTION_DAYS is the partners' replay window;
- a gateway event: processed (one whose job failed stays for its retry).

Children go before their parents in the same transaction (attempts, then deliveries, then
events), so no foreign key is ever left dangling. Each batch of RETENTION_BATCH_SIZE rows
is a transaction of its own: locks are short and no transaction grows with the backlog.
So ``purge`` is a runner (it commits): call it outside any unit of work.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import case, delete, exists, func, literal, select, tuple_

from app.core.types import UUID, UTCDateTime, utcnow
from app.core.uow import unit_of_work
from app.events.models import EventDelivery, OutboxEvent
from app.extensions import db
from app.payments.models import GatewayEvent
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent

log = logging.getLogger(__name__)

# In the order they are purged (children first); the keys of purge's counts.
TABLES = ("webhook_attempts", "webhook_deliveries", "webhook_events", "event_deliveries",
          "outbox_events", "gateway_events")


def purge(*, now: datetime | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Delete what retention allows; returns the rows deleted per table (TABLES)."""
    cfg = current_app.config
    now = now or utcnow()
    size = batch_size or cfg["RETENTION_BATCH_SIZE"]
    counts = dict.fromkeys(TABLES, 0)

    def cutoff(setting: str) -> datetime | None:
        days = cfg[setting]
        return now - timedelta(days=days) if days else None

    # Deliveries before events: an event with a delivery left is kept.
    if (before := cutoff("WEBHOOK_LOG_RETENTION_DAYS")) is not None:
        _in_batches(_finished_deliveries(before), WebhookDelivery.completed_at,
                    WebhookDelivery.id, size, lambda ids: _delete_deliveries(ids, counts))
    if (before := cutoff("EVENT_RETENTION_DAYS")) is not None:
        _in_batches(_unreferenced_webhook_events(before), WebhookEvent.created_at,
                    WebhookEvent.id, size, lambda ids: _delete_webhook_events(ids, counts))
        _in_batches(_finished_outbox_events(before), OutboxEvent.created_at, OutboxEvent.id,
                    size, lambda ids: _delete_outbox_events(ids, counts))
    if (before := cutoff("GATEWAY_EVENT_RETENTION_DAYS")) is not None:
        _in_batches(_processed_gateway_events(before), GatewayEvent.processed_at,
                    GatewayEvent.id, size, lambda ids: _delete_gateway_events(ids, counts))
    log.info("retention: purged %d row(s): %s", sum(counts.values()),
             ", ".join(f"{table} {n}" for table, n in counts.items()))
    return counts


def _in_batches(stmt, at, ident, size: int, delete_batch: Callable[[list], None]) -> None:
    """Deletes the rows ``stmt`` selects, oldest first, ``size`` per transaction. The next
    batch starts after the last row seen: rows the statement passes over (not finished)
    are not read again by every batch."""
    last = None
    while True:
        with unit_of_work():
            query = stmt
            if last is not None:
                # The first condition starts the index range (these tables are indexed
                # on the time alone); the row value breaks ties.
                query = query.where(at >= literal(last[0], UTCDateTime()), tuple_(at, ident) >
                                    tuple_(literal(last[0], UTCDateTime()), literal(last[1], UUID)))
            rows = db.session.execute(query.order_by(at, ident).limit(size)).all()
            if rows:
                delete_batch([row[1] for row in rows])
        if len(rows) < size:
            return
        last = tuple(rows[-1])


# What each table may lose: (sort key, id) of the finished rows older than ``before``.

def _finished_deliveries(before: datetime):
    # completed_at is set only when a delivery ends (succeeded or failed for good).
    return select(WebhookDelivery.completed_at, WebhookDelivery.id).where(
        WebhookDelivery.completed_at < before,
        WebhookDelivery.status.in_(("succeeded", "failed")))


def _unreferenced_webhook_events(before: datetime):
    return select(WebhookEvent.created_at, WebhookEvent.id).where(
        WebhookEvent.created_at < before,
        ~exists().where(WebhookDelivery.event_id == WebhookEvent.id))


def _finished_outbox_events(before: datetime):
    done = select(func.count()).select_from(EventDelivery).where(
        EventDelivery.event_id == OutboxEvent.id, EventDelivery.status == "done"
    ).scalar_subquery()
    not_done = exists().where(EventDelivery.event_id == OutboxEvent.id,
                              EventDelivery.status != "done")
    return select(OutboxEvent.created_at, OutboxEvent.id).where(
        OutboxEvent.created_at < before, OutboxEvent.dispatched_at.is_not(None),
        ~not_done, done >= _handler_count())


def _handler_count():
    """How many handlers an event of each type has (the registry lives in code, so the
    database is told): an event is done when that many of its deliveries are."""
    from app.events.registry import HANDLERS, handlers_for
    from app.webhooks.types import SOURCES

    counts = {name: len(handlers_for(name)) for name in sorted({*HANDLERS, *SOURCES})}
    return case(counts, value=OutboxEvent.type, else_=0)


def _processed_gateway_events(before: datetime):
    return select(GatewayEvent.processed_at, GatewayEvent.id).where(
        GatewayEvent.processed_at < before)


# The deletes, children first. Each parent's delete repeats the guard on its children, so
# a child that appeared meanwhile keeps its parent rather than breaking the reference.

def _deleted(stmt) -> int:
    return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount


def _delete_deliveries(ids: list, counts: dict) -> None:
    counts["webhook_attempts"] += _deleted(
        delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids)))
    counts["webhook_deliveries"] += _deleted(
        delete(WebhookDelivery).where(WebhookDelivery.id.in_(ids)))


def _delete_webhook_events(ids: list, counts: dict) -> None:
    counts["webhook_events"] += _deleted(delete(WebhookEvent).where(
        WebhookEvent.id.in_(ids), ~exists().where(WebhookDelivery.event_id == WebhookEvent.id)))


def _delete_outbox_events(ids: list, counts: dict) -> None:
    counts["event_deliveries"] += _deleted(delete(EventDelivery).where(
        EventDelivery.event_id.in_(ids), EventDelivery.status == "done"))
    counts["outbox_events"] += _deleted(delete(OutboxEvent).where(
        OutboxEvent.id.in_(ids), ~exists().where(EventDelivery.event_id == OutboxEvent.id)))


def _delete_gateway_events(ids: list, counts: dict) -> None:
    counts["gateway_events"] += _deleted(delete(GatewayEvent).where(GatewayEvent.id.in_(ids)))
