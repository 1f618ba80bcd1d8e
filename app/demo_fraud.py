"""Demo fraud reviews and customer messages, so the review queue and the notifications
log have something on first run. Everything goes through the real services: an admin puts
a customer on a watch list and adds a rule that holds their orders, the placement
screening opens the reviews, a person decides one; order confirmations follow the
order.placed event as after checkout (the invoice emails are the demo sales' own).
Called once, by the demo sales (which add nothing on a second run)."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.core.actor import Actor
from app.events.service import publish
from app.extensions import db
from app.fraud import checks, lists, reviews, rule_edits
from app.orders.models import Order
from app.staff import service as staff_service
from app.staff.models import Staff
from app.users import service as user_service
from app.users.models import User

WATCHED = ("max@example.com", "Max Weber")
HELD = 2  # orders of the watched customer, placed in the last hours
WATCH_LIST = "watch"
RULE = {"name": "Watched customers: hold for review", "action": "review", "position": 100,
        "expression": f"email in @{WATCH_LIST}", "enabled": True}
CONFIRMED = 6


def customer(actor: Actor) -> User:
    email, name = WATCHED
    return user_service.find_by_email(email) or user_service.register(
        email, uuid.uuid4().hex, name, actor=actor)


def load(held: list[Order], recent: list[Order], admin_email: str) -> None:
    admin = db.session.scalars(select(Staff).where(Staff.email == admin_email)).first()
    if admin is None or not held:
        return
    actor = staff_service.actor_for(admin)
    # Listed and ruled before any screening. The rule catches this customer's orders
    # only (well under FRAUD_RULE_APPROVAL_IMPACT of the demo orders), so it applies at
    # once instead of waiting for a second admin.
    lists.add(WATCH_LIST, WATCHED[0], note="Demo: chargeback on an earlier order", actor=actor)
    rule_edits.propose(None, dict(RULE), actor=actor)
    for order in held:
        checks.screen_order(order.id)
    decided = checks.review_of(held[0].id)
    if decided is not None and decided.status == "open":
        reviews.decide(decided.id, "approved", actor=actor,
                       reason="Customer called; the card holder confirmed the order.")
    newest = sorted([*held, *recent], key=lambda o: o.created_at, reverse=True)
    for order in newest[:CONFIRMED]:
        publish("order.placed", {"order_id": str(order.id),
                                 "customer_id": str(order.customer_id)})
