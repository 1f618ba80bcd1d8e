"""Invoice rules in one place: the status machine, series, limits."""
from app.core.errors import Conflict

SERIES = {"invoice": "INV", "credit_note": "CN"}
MAX_LINES = 1000
MAX_QUANTITY = 1_000_000
MAX_UNIT_AMOUNT = 10**10

TRANSITIONS: dict[str, set[str]] = {
    "draft": {"finalised", "cancelled"},
    # credited: credit notes cover the whole total before payment; nothing is due.
    "finalised": {"sent", "paid", "credited", "cancelled"},
    "sent": {"sent", "paid", "credited", "cancelled"},  # sent -> sent: a resend
    "paid": set(),
    "credited": set(),
    "cancelled": set(),
}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        hint = " Issue a credit note instead." if current == "paid" and target == "cancelled" else ""
        raise Conflict(f"A {current} invoice cannot become {target}.{hint}",
                       errors={"status": [f"{current} -> {target} is not allowed."]})


def require_draft(status: str) -> None:
    if status != "draft":
        raise Conflict("Only a draft invoice can change; a finalised one is immutable "
                       "(corrections are credit notes).", errors={"status": [status]})


# Issued and still awaiting payment: these can become overdue.
OPEN_STATUSES = ("finalised", "sent")
CREDITABLE_STATUSES = ("finalised", "sent", "paid")


def is_overdue(invoice, today) -> bool:
    return (invoice.status in OPEN_STATUSES and invoice.due_date is not None
            and invoice.due_date < today)


def can_be_credited(invoice) -> bool:
    """Whether a credit note may be issued (one not already existing is checked apart)."""
    return invoice.kind == "invoice" and invoice.status in CREDITABLE_STATUSES

