"""Rows of the tables retention purges, made directly with the ages a test needs."""
from __future__ import annotations

import uuid
from datetime import timedelta

from app.core.types import utcnow
from app.events.models import EventDelivery, OutboxEvent
from app.events.registry import handlers_for
from app.extensions import db
from app.payments.models import GatewayEvent
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

# order.placed: two handlers of its own and the partners' fan-out.
ORDER_PLACED_HANDLERS = [h.name for h in handlers_for("order.placed")]


def days_ago(days: float):
    return utcnow() - timedelta(days=days)


def outbox_event(age_days: float, *, event_type: str = "order.placed", dispatched: bool = True,
                 statuses: dict | None = None) -> uuid.UUID:
    """An outbox event ``age_days`` old with a delivery per handler: ``statuses`` maps
    handler -> status (None: every handler of the type done; a handler left out has no
    delivery yet, its job still queued)."""
    created = days_ago(age_days)
    evt = OutboxEvent(id=uuid.uuid4(), type=event_type, payload={}, created_at=created,
                      dispatched_at=created + timedelta(seconds=1) if dispatched else None)
    db.session.add(evt)
    db.session.flush()
    if statuses is None:
        statuses = {h.name: "done" for h in handlers_for(event_type)}
    for handler, status in statuses.items():
        db.session.add(EventDelivery(event_id=evt.id, handler=handler, status=status,
                                     completed_at=created if status == "done" else None))
    db.session.flush()
    return evt.id


def endpoint(api_key_id=None) -> WebhookEndpoint:
    row = WebhookEndpoint(id=uuid.uuid4(), api_key_id=api_key_id,
                          url="https://partner.example.com/hooks",
                          contact_email="ops@partner.example.com",
                          event_types=["order.placed"], secret="whsec_test")
    db.session.add(row)
    db.session.flush()
    return row


def webhook_event(age_days: float, event_type: str = "order.placed") -> uuid.UUID:
    event_id = uuid.uuid4()
    db.session.add(WebhookEvent(id=event_id, type=event_type, object_id=str(uuid.uuid4()),
                                sequence=1, body=f'{{"id": "{event_id}"}}',
                                created_at=days_ago(age_days)))
    db.session.flush()
    return event_id


def delivery(event_id, endpoint_id, age_days: float, status: str, *,
             attempts: int = 1, completed_days: float | None = None) -> uuid.UUID:
    """A delivery made ``age_days`` ago; finished ones completed ``completed_days`` ago
    (default: when made), with ``attempts`` attempt rows."""
    created = days_ago(age_days)
    finished = status in ("succeeded", "failed")
    row = WebhookDelivery(
        id=uuid.uuid4(), event_id=event_id, endpoint_id=endpoint_id, status=status,
        attempts=attempts, created_at=created,
        next_attempt_at=created if status == "pending" else None,
        completed_at=days_ago(completed_days if completed_days is not None else age_days)
        if finished else None)
    db.session.add(row)
    db.session.flush()
    for number in range(1, attempts + 1):
        db.session.add(WebhookAttempt(delivery_id=row.id, number=number, started_at=created,
                                      response_status=200 if status == "succeeded" else 500))
    db.session.flush()
    return row.id


def gateway_event(received_days: float, processed_days: float | None) -> uuid.UUID:
    processed = processed_days is not None
    row = GatewayEvent(id=uuid.uuid4(), gateway="stripe",
                       gateway_event_id=f"evt_{uuid.uuid4().hex}",
                       type="payment_intent.succeeded", payload={},
                       received_at=days_ago(received_days),
                       processed_at=days_ago(processed_days) if processed else None,
                       outcome="applied" if processed else None)
    db.session.add(row)
    db.session.flush()
    return row.id
