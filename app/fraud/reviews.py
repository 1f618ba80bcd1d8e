"""The review queue: staff approve a held order (it can be paid) or reject it as fraud or
for another reason (it is cancelled and anything taken refunded). Decided once: a second
decision is a conflict, whoever makes it."""
from __future__ import annotations

from sqlalchemy import select

from app.core import transitions
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.fraud import checks
from app.fraud.models import FraudCheck, FraudReview
from app.orders.models import Order

DECISIONS = ("approved", "rejected_fraud", "rejected_other")
TRANSITIONS = {"open": set(DECISIONS), **{d: set() for d in DECISIONS}}


def _check(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"This review was already decided: {current.replace('_', ' ')}.",
                       errors={"status": [f"{current} -> {target} is not allowed."]})


def open_reviews(limit: int = 200) -> list[FraudReview]:
    return list(db.session.scalars(select(FraudReview).where(FraudReview.status == "open")
                                   .order_by(FraudReview.created_at, FraudReview.id).limit(limit)))


def decide(review_id, decision: str, *, reason: str, actor: Actor) -> tuple[FraudReview, list]:
    """Returns the review and the refunds a rejection opened (the runner executes them
    after commit, with ``checks.execute_refunds``)."""
    if actor.kind != "staff":
        raise PermissionDenied("Only staff decide fraud reviews.")
    errors = {}
    if decision not in DECISIONS:
        errors["decision"] = [f"One of {', '.join(DECISIONS)}."]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Required: why (kept with the review)."]
    elif len(reason) > 500:
        errors["reason"] = ["At most 500 characters."]
    elif not is_clean(reason):
        errors["reason"] = [MESSAGE]
    if errors:
        raise InvalidInput("The decision is not valid.", errors=errors)
    ident = as_uuid(review_id)
    review = db.session.scalars(select(FraudReview).where(FraudReview.id == ident)
                                .with_for_update()
                                .execution_options(populate_existing=True)).first() \
        if ident else None
    if review is None:
        raise NotFound("Review not found.")
    transitions.move(review, decision, actor=actor, check=_check, topic="fraud_review",
                     values={"decided_by": actor.ref, "decided_by_label": actor.label[:255],
                             "decided_at": utcnow(), "reason": reason},
                     payload={"order_id": str(review.order_id)})
    order = db.session.get(Order, review.order_id)
    # For the customer's message (the notifications package hooks a template here):
    # the outcome only, never the rules or the score.
    publish("order.review_decided", {"order_id": str(order.id),
                                     "customer_id": str(order.customer_id),
                                     "outcome": "approved" if decision == "approved"
                                     else "rejected"})
    calls = []
    if decision != "approved":
        calls = checks.block(order, reason=f"Rejected after review: {reason}", actor=actor)
    db.session.flush()
    db.session.refresh(review)
    return review, calls


def history_for_customer(customer_id, limit: int = 20) -> list:
    """A customer's screenings, newest first, with their review where one was opened
    (staff only: rules and scores never reach the customer)."""
    return db.session.execute(
        select(FraudCheck, Order.number, FraudReview)
        .join(Order, Order.id == FraudCheck.order_id)
        .outerjoin(FraudReview, FraudReview.check_id == FraudCheck.id)
        .where(Order.customer_id == customer_id, FraudCheck.status == "done")
        .order_by(FraudCheck.created_at.desc()).limit(limit)).all()
