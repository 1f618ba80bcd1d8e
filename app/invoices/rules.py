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


def check_move(invoice, target: str) -> None:
    """Whether this invoice may move to ``target`` now: the status machine, and what its
    kind and credits forbid (a credit note is never paid, an issued one never voided; an
    invoice with credit notes is corrected by them, not voided). The service checks it
    under the row lock; the back office offers only the moves it allows."""
    if invoice.kind == "credit_note":
        if target == "paid":
            raise Conflict("A credit note is never paid.", errors={"kind": ["credit_note"]})
        if target == "cancelled" and invoice.status != "draft":
            raise Conflict("An issued credit note cannot be voided: it is itself a correction.",
                           errors={"kind": ["credit_note"]})
    if target == "cancelled" and invoice.amount_credited:
        raise Conflict("This invoice has credit notes: it cannot be voided; credit the rest "
                       "instead.", errors={"status": ["credited in part"]})
    check_transition(invoice.status, target)


def may_move(invoice, target: str) -> bool:
    try:
        check_move(invoice, target)
    except Conflict:
        return False
    return True


def shown_amount(kind: str, amount: int | None) -> int:
    """An amount of a document as the document shows it (its PDF, its back-office page,
    its emails). A credit note is stored negative, so that invoices and credit notes add
    up in the ledger (the API, the exports, lists of documents); the credit note itself
    states what it credits, positive under its "Credit note" title, as Stripe's and most
    invoicing systems' credit notes read. Its lines' unit prices are the credited
    invoice's, positive as stored, and read as they did on the invoice."""
    return -(amount or 0) if kind == "credit_note" else (amount or 0)


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
    """Whether the invoice is one that credit notes may correct (its state and kind)."""
    return invoice.kind == "invoice" and invoice.status in CREDITABLE_STATUSES


def creditable_amount(invoice) -> int:
    """What credit notes may still credit: the total less what is credited, or nothing
    when the invoice cannot be credited. Partial credit notes leave the rest creditable."""
    if not can_be_credited(invoice):
        return 0
    return max(0, (invoice.total_amount or 0) - (invoice.amount_credited or 0))

