"""Moving an aggregate from one state to another, the one way: a guarded UPDATE (of two
concurrent moves from the same state exactly one wins), then the history row if the
aggregate keeps one, the audit entry and the outbox event, all in the caller's
transaction. Orders and invoices move through here; payments and refunds will."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import update

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict
from app.core.types import utcnow
from app.events.service import publish
from app.extensions import db


def move(obj, target: str, *, actor: Actor, check: Callable[[str, str], None], topic: str,
         values: dict | None = None, history: Callable[[str, str], object] | None = None,
         payload: dict | None = None) -> None:
    """Move ``obj`` (an ORM object with ``id`` and ``status``) to ``target``.

    ``check(current, target)`` raises for an illegal move; ``topic`` names the audit
    action and event (``order`` -> ``order.paid``); ``values`` are set with the status;
    ``history(current, target)`` returns the history row to add, if any."""
    model = type(obj)
    current = obj.status
    check(current, target)
    columns = {"status": target, "updated_at": utcnow(), **(values or {})}
    moved = db.session.execute(
        update(model).where(model.id == obj.id, model.status == current).values(**columns)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict(f"The {topic.replace('_', ' ')} changed meanwhile; reload and try again.")
    # The UPDATE went round the identity map: reload these on next access.
    db.session.expire(obj, list(columns))
    if history is not None:
        db.session.add(history(current, target))
    audit.record(actor, f"{topic}.{target}", topic, obj.id,
                 before={"status": current}, after={"status": target})
    publish(f"{topic}.{target}", {f"{topic}_id": str(obj.id), "from": current, **(payload or {})})
