"""Per-object sequence numbers, taken when the outbox event is published: in the same
transaction as the change, so they follow the order in which changes committed (an
object's changes are serialised by its row lock or guarded update)."""
from __future__ import annotations

from sqlalchemy import insert, update

from app.extensions import db
from app.webhooks.models import WebhookSequence
from app.webhooks.types import for_source


def stamp(event_type: str, payload: dict) -> dict:
    """``payload`` with its object's next ``sequence`` if partners hear of this event."""
    public = for_source(event_type, payload)
    if not public:
        return payload
    return {**payload, "sequence": next_number(str(payload[public[0].id_key]))}


def next_number(object_id: str) -> int:
    taken = db.session.execute(
        update(WebhookSequence).where(WebhookSequence.object_id == object_id)
        .values(last=WebhookSequence.last + 1).returning(WebhookSequence.last)
        .execution_options(synchronize_session=False)).scalar()
    if taken is not None:
        return taken
    db.session.execute(insert(WebhookSequence).values(object_id=object_id, last=1))
    return 1
