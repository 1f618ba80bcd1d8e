"""After commit: hand events to RQ (or run them inline in the embedded default).

If Redis is unreachable the events stay undispatched in the outbox, and the scheduled
``redispatch_stale`` picks them up when Redis is back: nothing is lost.
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import select, update

from app.core.redis import get_redis
from app.core.requestid import origin_meta
from app.core.types import utcnow
from app.events import registry, service
from app.events.models import OutboxEvent
from app.extensions import db

log = logging.getLogger(__name__)

JOB_FUNC = "jobs.events.run_handler"
RETRY_INTERVALS = [5, 30, 120, 600, 1800]  # exponential-ish backoff, seconds


def dispatch_committed() -> None:
    ids = service.take_committed()
    if ids:
        dispatch(ids)


def dispatch(event_ids: list[uuid.UUID]) -> int:
    """Dispatch the given committed events; returns how many were handed over."""
    where = OutboxEvent.id.in_(event_ids)
    if current_app.config["JOBS_INLINE"]:
        # Plain values, not ORM objects: a handler may expunge or roll back the session
        # under them, and every commit of every handler would expire each of them (a
        # large batch, such as the demo's history, then costs its square).
        return _run_inline(db.session.execute(
            select(OutboxEvent.id, OutboxEvent.type, OutboxEvent.payload).where(where)).all())
    return _enqueue(db.session.scalars(select(OutboxEvent).where(where)).all())


def _run_inline(events: list) -> int:
    """Runs each handler of each (id, type, payload) event now, in this process."""
    done = []
    for evt_id, evt_type, payload in events:
        ok = True
        for handler in registry.handlers_for(evt_type):
            try:
                service.run_handler(evt_id, handler.name)
            except Exception:  # recorded on the delivery row; redispatch retries it
                ok = False
                log.exception("inline handler %s failed for event %s", handler.name, evt_id)
        if ok:
            done.append(evt_id)
    # Marked together, in one commit: if the process stops before, the events are
    # dispatched again and their handlers, done, are skipped (the delivery rows say so).
    _mark_dispatched(done)
    # Then the back office hears of them, as after the hand-over to RQ.
    for evt_id, evt_type, payload in events:
        _broadcast(evt_id, evt_type, payload)
    return len(done)


def _enqueue(events: list[OutboxEvent]) -> int:
    conn = get_redis()
    timeout = current_app.config["RQ_JOB_TIMEOUT"]
    by_queue: dict[str, list] = {}
    for evt in events:
        for handler in registry.handlers_for(evt.type):
            by_queue.setdefault(handler.queue, []).append(Queue.prepare_data(
                JOB_FUNC, (str(evt.id), handler.name), timeout=timeout,
                job_id=job_id(evt.id, handler.name),
                retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
                description=f"{evt.type} -> {handler.name}", meta=origin_meta()))
    try:
        # Every job of these events in one round trip (a request's commit hands over
        # several events; one enqueue each cost a few round trips apiece).
        with conn.pipeline() as pipe:
            for name, datas in by_queue.items():
                Queue(name, connection=conn).enqueue_many(datas, pipeline=pipe)
            pipe.execute()
    except RedisError as exc:
        log.warning("redis unavailable, %d event(s) left for redispatch: %s", len(events), exc)
        return 0
    except Exception:  # the commit stands; the outbox keeps them for redispatch
        log.exception("enqueue failed, %d event(s) left for redispatch", len(events))
        return 0
    for evt in events:
        _broadcast(evt.id, evt.type, evt.payload)
    _mark_dispatched([evt.id for evt in events])
    return len(events)


def job_id(event_id, handler_name: str) -> str:
    """Stable per (event, handler): RQ job ids allow letters, digits, - and _ only."""
    return f"evt-{event_id}-{handler_name.replace('.', '_')}"


def _mark_dispatched(ids: list[uuid.UUID]) -> None:
    if not ids:
        return
    db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(ids))
        .values(dispatched_at=utcnow(), dispatch_attempts=OutboxEvent.dispatch_attempts + 1)
    )
    db.session.commit()


def redispatch_stale(older_than_seconds: int | None = None, limit: int = 500) -> int:
    """Dispatch events that were committed but never handed over (Redis was down)."""
    if older_than_seconds is None:
        older_than_seconds = current_app.config["OUTBOX_REDISPATCH_AFTER_SECONDS"]
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    ids = db.session.scalars(
        select(OutboxEvent.id)
        .where(OutboxEvent.dispatched_at.is_(None), OutboxEvent.created_at <= cutoff)
        .order_by(OutboxEvent.created_at)
        .limit(limit)
    ).all()
    return dispatch(list(ids)) if ids else 0


def _broadcast(evt_id, evt_type: str, payload: dict) -> None:
    """Live update for the back office; best effort, the outbox is the record."""
    from app.live import broadcast

    try:
        broadcast(evt_type, payload)
    except Exception as exc:  # a dead message queue must not fail the request
        log.warning("live broadcast failed for %s: %s", evt_id, exc)
