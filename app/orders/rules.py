"""Order rules in one place: limits, the status machine, who may do what."""
from __future__ import annotations

from app.core.actor import Actor
from app.core.errors import Conflict

MAX_LINES = 100
MAX_QUANTITY = 1000

# from status -> the statuses it may move to
TRANSITIONS: dict[str, set[str]] = {
    "pending_payment": {"paid", "cancelled"},
    # refunded: every minor unit paid went back (app.payments.refunds).
    "paid": {"fulfilled", "cancelled", "refunded"},
    "fulfilled": {"refunded"},
    "cancelled": set(),
    "refunded": set(),
}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"An order that is {current.replace('_', ' ')} cannot become "
                       f"{target.replace('_', ' ')}.",
                       errors={"status": [f"{current} -> {target} is not allowed."]})


def cancellable_from(actor: Actor) -> set[str]:
    """Customers cancel while unpaid; staff any time before fulfilment."""
    if actor.kind == "user":
        return {"pending_payment"}
    return {"pending_payment", "paid"}
