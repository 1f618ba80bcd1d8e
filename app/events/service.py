"""Publishing events, and running one handler for one event exactly once."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import service as audit
from app.core import uow
from app.core.actor import Actor
from app.core.types import utcnow
from app.events import registry
from app.events.models import EventDelivery, OutboxEvent
from app.extensions import db
from app.webhooks.sequence import stamp

log = logging.getLogger(__name__)

_BUCKET = "events"


def publish(event_type: str, payload: dict) -> OutboxEvent:
    """Add an event to the current transaction; it is dispatched only after commit."""
    # Numbered for partners here, in the change's own transaction: the commit order.
    payload = stamp(event_type, payload)
    evt = OutboxEvent(id=uuid.uuid4(), type=event_type, payload=payload)
    db.session.add(evt)
    uow.defer(_BUCKET, evt.id)
    return evt


def take_committed() -> list[uuid.UUID]:
    return uow.take(_BUCKET)


class AlreadyDone(Exception):
    pass


def run_handler(event_id, handler_name: str) -> str:
    """Run one handler for one event, at most once to completion.

    Returns "done" or "skipped". An exception from the handler propagates after the
    attempt is recorded, so RQ retries it with backoff.
    """
    event_id = uuid.UUID(str(event_id))
    evt = db.session.get(OutboxEvent, event_id)
    if evt is None:
        raise LookupError(f"event {event_id} not found")
    handler = registry.find(evt.type, handler_name)
    evt_type = evt.type
    delivery, first = _claim(event_id, handler_name)
    if delivery.status == "done":
        return "skipped"
    delivery_id = delivery.id
    if not first:
        delivery.attempts += 1
        if delivery.attempts > 1:
            # A retry (RQ's backoff, the outbox re-dispatch, or staff's Retry) is on the
            # record with the error it follows; it commits with the claim, before the
            # handler runs.
            audit.record(Actor.system("jobs"), "event_delivery.retry", "event_delivery",
                         delivery_id, after={"event_id": event_id, "event_type": evt_type,
                                             "handler": handler_name,
                                             "attempt": delivery.attempts,
                                             "previous_error": (delivery.last_error or "")[:200]})
        db.session.commit()
    try:
        registry.resolve(handler)(evt)
    except Exception as exc:
        db.session.rollback()
        delivery = db.session.get(EventDelivery, delivery_id)
        delivery.status = "failed"
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        db.session.commit()
        _announce(event_id, evt_type, delivery)
        raise
    # Reloaded: the handler may have expunged or committed the session's objects.
    delivery = db.session.get(EventDelivery, delivery_id)
    delivery.status = "done"
    delivery.completed_at = utcnow()
    delivery.last_error = None
    # The handler's writes and its delivery row commit together; this is its runner.
    uow.commit()
    _announce(event_id, evt_type, delivery)
    return "done"


def _announce(event_id, event_type: str, delivery: EventDelivery) -> None:
    """Tell the back office live (from whichever process ran the job); best effort."""
    from app.live import emit_to_staff

    try:
        emit_to_staff("delivery", {"event_id": str(event_id), "event_type": event_type,
                                   "handler": delivery.handler, "status": delivery.status,
                                   "attempts": delivery.attempts})
    except Exception as exc:  # the delivery row is the record; a live update may be lost
        log.warning("live delivery update failed: %s", exc)


def _claim(event_id: uuid.UUID, handler_name: str) -> tuple[EventDelivery, bool]:
    """The delivery row, and whether this call made it with its first attempt counted
    (committed: one commit before the handler runs, not two)."""
    stmt = select(EventDelivery).where(
        EventDelivery.event_id == event_id, EventDelivery.handler == handler_name
    )
    delivery = db.session.scalars(stmt).first()
    if delivery is not None:
        return delivery, False
    delivery = EventDelivery(event_id=event_id, handler=handler_name, attempts=1)
    db.session.add(delivery)
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent worker claimed it first
        db.session.rollback()
        return db.session.scalars(stmt).one(), False
    return delivery, True


def retry_failed(delivery_ids: list, *, actor: Actor) -> int:
    """Staff's Retry on failed deliveries: each is audited with who asked, and their
    events are dispatched again after the commit (a handler already done is skipped).
    Returns how many events go out again."""
    from app.events.dispatch import dispatch

    failed = db.session.execute(
        select(EventDelivery.id, EventDelivery.event_id, EventDelivery.handler)
        .where(EventDelivery.id.in_(delivery_ids), EventDelivery.status == "failed")).all()
    for delivery_id, event_id, handler in failed:
        audit.record(actor, "event_delivery.retry_requested", "event_delivery", delivery_id,
                     after={"event_id": event_id, "handler": handler})
    event_ids = list(dict.fromkeys(row.event_id for row in failed))
    if event_ids:
        uow.after_commit(dispatch, event_ids)
    db.session.flush()
    return len(event_ids)
