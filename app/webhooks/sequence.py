"""Per-object sequence numbers, taken when the outbox event is published: in the same
transaction as the change, so they follow the order in which changes committed (an
object's changes are serialised by its row lock or guarded update)."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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
    """One upsert: the first two events of an object in concurrent transactions wait on
    each other's row instead of both inserting it (one would fail)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(WebhookSequence).values(object_id=object_id, last=1)
    return db.session.execute(
        stmt.on_conflict_do_update(index_elements=["object_id"],
                                   set_={"last": WebhookSequence.last + 1})
        .returning(WebhookSequence.last)
        .execution_options(synchronize_session=False)).scalar_one()
