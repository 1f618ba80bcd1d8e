"""Payment and refund rules in one place: the status machines and what "forward" means."""
from __future__ import annotations

from app.core.errors import Conflict

# from status -> the statuses it may move to. A failed card payment can still succeed:
# the customer may retry another card on the same PaymentIntent. Only an open payment is
# cancelled by its customer (app.payments.service.open_cancel).
TRANSITIONS: dict[str, set[str]] = {
    "pending": {"requires_action", "succeeded", "failed", "cancelled"},
    "requires_action": {"succeeded", "failed", "cancelled"},
    "failed": {"succeeded", "cancelled"},
    "succeeded": {"refunded"},
    "refunded": set(),
    # Money the gateway took is always recorded: a PayPal capture racing a cancel can
    # complete after it (PayPal cannot void the order); the order is then paid, or the
    # payment is one to refund (app.payments.service._succeed).
    "cancelled": {"succeeded"},
}
REFUND_TRANSITIONS: dict[str, set[str]] = {
    "pending": {"succeeded", "failed"},
    "succeeded": set(),
    "failed": set(),
}
OPEN = ("pending", "requires_action")


def order_took(payment, order) -> bool:
    """Whether the order took this payment as its payment (app.payments.service._succeed
    invoices it then): only that one refunds the order; any other that succeeded for it
    paid nothing (app.payments.unapplied). Rows made outside that path (older rows)
    are recognised by the reference the order was paid with."""
    return payment.invoice_id is not None or (
        order.payment_reference is not None
        and order.payment_reference == payment.gateway_payment_id)


def _checker(table: dict[str, set[str]], noun: str):
    def check(current: str, target: str) -> None:
        if target not in table.get(current, set()):
            raise Conflict(f"A {current.replace('_', ' ')} {noun} cannot become "
                           f"{target.replace('_', ' ')}.",
                           errors={"status": [f"{current} -> {target} is not allowed."]})
    return check


check_transition = _checker(TRANSITIONS, "payment")
check_refund_transition = _checker(REFUND_TRANSITIONS, "refund")


def moves_forward(current: str, target: str) -> bool:
    """Whether a gateway event saying ``target`` moves a payment on: late, repeated or
    out-of-order events say something older and change nothing."""
    return target in TRANSITIONS.get(current, set())
