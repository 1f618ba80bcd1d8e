"""Bank transfers received: recorded by staff (back office) or a partner (API), applied
when they pay something exactly, otherwise held for finance. Never applied blindly.

What a payer quotes: the invoice number (the PDF asks for it) or, for an order paid by
transfer before it is invoiced, the order id. A transfer is applied only when its
currency and amount equal the open balance (invoice: ``amount_due``; order: its total).
Partial payments and overpayments are held, not split: the invoice and order state
machines know "paid" only (as Stripe refuses a partial PaymentIntent capture here), so
finance either applies the transfer to another invoice or order that it pays exactly, or
returns it to the payer.

Applying to an order: a bank_transfer Payment that succeeds, the order paid and its
invoice issued paid (app.payments.service.record_received). Applying to an invoice that
has no order: the invoice is marked paid (app.invoices.service.mark_paid); the transfer
row is the payment's record (payments belong to orders).
"""
from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import select

from app.audit import service as audit
from app.core import keyset, money, transitions
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.lookup import get_or_not_found
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.invoices import service as invoices
from app.invoices.models import Invoice
from app.invoices.rules import OPEN_STATUSES
from app.orders.models import Order
from app.payments import rules, service as payments
from app.payments.models import BankTransfer, Payment

GATEWAY_NAME = "bank"
MAX_AMOUNT = 10**15
# Which input a hold reason is about, for the error's ``errors`` key.
_FIELD = {"amount_mismatch": "amount", "currency_mismatch": "currency"}
TRANSITIONS = {"held": {"applied", "returned"}, "applied": set(), "returned": set()}


def _check(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"A transfer that is {current} cannot become {target}.",
                        errors={"status": [f"{current} -> {target} is not allowed."]})


def transfer_id_for(principal_ref: str, idempotency_key: str | None) -> uuid.UUID:
    if idempotency_key is None:
        return uuid.uuid4()
    return uuid.uuid5(payments.NAMESPACE, f"bank-transfer\n{principal_ref}\n{idempotency_key}")


def get(transfer_id) -> BankTransfer:
    return get_or_not_found(BankTransfer, transfer_id, "Bank transfer not found.")


def list_transfers(*, status: str | None = None, cursor: str | None = None,
                   limit: int = 50) -> tuple[list[BankTransfer], str | None]:
    stmt = select(BankTransfer)
    if status:
        stmt = stmt.where(BankTransfer.status == status)
    return keyset.page(stmt, BankTransfer, cursor=cursor, limit=limit)


def normalise(reference: str) -> str:
    """What the bank's statement line says, compared as the payer meant it: case and
    spaces vary between banks."""
    return re.sub(r"\s+", "", reference or "").upper()


class _Target:
    """An invoice or an order a transfer could pay, and why it cannot (if it cannot)."""

    def __init__(self, invoice: Invoice | None = None, order: Order | None = None):
        self.invoice, self.order = invoice, order

    @property
    def currency(self) -> str:
        return (self.invoice or self.order).currency

    @property
    def label(self) -> str:
        return f"invoice {self.invoice.number}" if self.invoice else f"order {self.order.id}"

    def open_balance(self) -> int | None:
        if self.invoice is not None:
            return self.invoice.amount_due if self.invoice.status in OPEN_STATUSES else None
        return self.order.total_amount if self.order.status == "pending_payment" else None

    def refusal(self, amount: int, currency: str) -> tuple[str, str] | None:
        """(hold reason, message) when the transfer must not pay this, else None."""
        due = self.open_balance()
        if due is None:
            status = (self.invoice or self.order).status
            if status in ("paid", "fulfilled", "refunded"):
                return "already_paid", f"The {self.label} is already paid."
            return "not_payable", f"The {self.label} is {status.replace('_', ' ')}."
        if currency != self.currency:
            return "currency_mismatch", (f"The {self.label} is in {self.currency}, the "
                                         f"transfer in {currency}.")
        if amount != due:
            return "amount_mismatch", (f"The {self.label} has {money.format_amount(due, currency)}"
                                       f" open; the transfer is "
                                       f"{money.format_amount(amount, currency)}.")
        column, ident = ((Payment.order_id, self.order.id) if self.order is not None
                         else (Payment.invoice_id, self.invoice.id))
        if db.session.scalar(select(Payment.id).where(column == ident,
                                                      Payment.status.in_(rules.OPEN))):
            return "payment_in_progress", (f"The {self.label} has a card or PayPal payment "
                                           "in progress.")
        return None


def _find(reference: str) -> _Target | None:
    key = normalise(reference)
    if not key:
        return None
    invoice = db.session.scalars(select(Invoice).where(
        Invoice.kind == "invoice", Invoice.number == key)).first()
    if invoice is not None:
        return _Target(invoice=invoice)
    order_id = as_uuid(key.lower())
    order = db.session.get(Order, order_id) if order_id else None
    return _Target(order=order) if order is not None else None


def _lock(target: _Target) -> _Target:
    """The target under its row lock, read again: two transfers for one invoice or order
    cannot both pay it."""
    obj = target.invoice or target.order
    db.session.refresh(obj, with_for_update=True)
    return target


def _validate(amount, currency, reference, value_date, payer_name) -> dict:
    errors = {}
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_AMOUNT:
        errors["amount"] = ["A whole number of minor units, 1 or more."]
    try:
        currency = money.check_currency(currency)
    except InvalidInput:
        errors["currency"] = ["An ISO 4217 code, e.g. EUR."]
    if not (reference or "").strip():
        errors["reference"] = ["Required: what the payer wrote on the transfer."]
    elif len(reference.strip()) > 140:
        errors["reference"] = ["At most 140 characters (SEPA's limit)."]
    if not isinstance(value_date, date):
        errors["value_date"] = ["A date."]
    if not (payer_name or "").strip():
        errors["payer_name"] = ["Required."]
    elif len(payer_name.strip()) > 200:
        errors["payer_name"] = ["At most 200 characters."]
    if errors:
        raise InvalidInput("The bank transfer is not valid.", errors=errors)
    return {"amount": amount, "currency": currency, "reference": reference.strip(),
            "value_date": value_date, "payer_name": payer_name.strip()}


def record(transfer_id: uuid.UUID, *, amount: int, currency: str, reference: str,
           value_date: date, payer_name: str, note: str = "", actor: Actor) -> BankTransfer:
    """Record a received transfer: applied to what its reference names when it pays it
    exactly, else held with the reason. A retry with the same id finds the first."""
    existing = db.session.get(BankTransfer, transfer_id)
    if existing is not None:
        return existing
    fields = _validate(amount, currency, reference, value_date, payer_name)
    transfer = BankTransfer(id=transfer_id, **fields, status="held", note=(note or "")[:500],
                            created_by=actor.ref)
    target = _find(fields["reference"])
    refusal = ("unknown_reference", "No open invoice or order has this reference.")
    if target is not None:
        _lock(target)
        refusal = target.refusal(fields["amount"], fields["currency"])
        transfer.invoice_id = target.invoice.id if target.invoice else None
        transfer.order_id = target.order.id if target.order else None
    if refusal is None:
        transfer.status = "applied"
    else:
        transfer.hold_reason, transfer.hold_message = refusal
    db.session.add(transfer)
    audit.record(actor, "bank_transfer.record", "bank_transfer", transfer.id,
                 after={**{k: str(v) for k, v in fields.items()}, "status": transfer.status,
                        "hold_reason": transfer.hold_reason})
    db.session.flush()
    if refusal is None:
        _pay(transfer, target, actor)
    db.session.flush()
    return transfer


def _pay(transfer: BankTransfer, target: _Target, actor: Actor) -> None:
    reference = f"bank transfer {transfer.reference}"[:100]
    if target.invoice is not None:
        invoices.mark_paid(target.invoice.id, actor=actor, reference=reference)
    else:
        payment = Payment(id=uuid.uuid4(), order_id=target.order.id,
                          customer_id=target.order.customer_id, method="bank_transfer",
                          gateway=GATEWAY_NAME, status="pending", amount=transfer.amount,
                          currency=transfer.currency, amount_refunded=0,
                          amount_refund_pending=0, created_by=actor.ref)
        db.session.add(payment)
        db.session.flush()
        payments.record_received(payment, actor=actor, reference=reference)
        transfer.payment_id = payment.id
        db.session.refresh(payment)
        transfer.invoice_id = payment.invoice_id
    transfer.applied_at = utcnow()
    transfer.resolved_by = actor.ref


def _locked(transfer_id) -> BankTransfer:
    ident = as_uuid(transfer_id)
    transfer = db.session.scalars(
        select(BankTransfer).where(BankTransfer.id == ident).with_for_update()
        .execution_options(populate_existing=True)).first() if ident else None
    if transfer is None:
        raise NotFound("Bank transfer not found.")
    return transfer


def apply_held(transfer_id, *, reference: str | None = None, actor: Actor) -> BankTransfer:
    """Finance applies a held transfer to the invoice number or order id it names
    (default: what the payer wrote). Only an exact payment: a partial one is refused."""
    transfer = _locked(transfer_id)
    _check(transfer.status, "applied")
    named = (reference or "").strip() or transfer.reference
    target = _find(named)
    if target is None:
        raise InvalidInput("No open invoice or order has this reference.",
                           errors={"reference": [f"{named!r}: no invoice number or order id."]})
    _lock(target)
    refusal = target.refusal(transfer.amount, transfer.currency)
    if refusal is not None:
        raise InvalidInput(f"The transfer cannot pay the {target.label}: {refusal[1]}",
                           errors={_FIELD.get(refusal[0], "reference"): [refusal[1]]})
    transfer.invoice_id = target.invoice.id if target.invoice else None
    transfer.order_id = target.order.id if target.order else None
    transitions.move(transfer, "applied", actor=actor, check=_check, topic="bank_transfer",
                     values={"invoice_id": transfer.invoice_id, "order_id": transfer.order_id},
                     payload={"target": target.label})
    db.session.refresh(transfer)
    _pay(transfer, target, actor)
    db.session.flush()
    return transfer


def return_to_payer(transfer_id, *, reason: str, actor: Actor) -> BankTransfer:
    """The money goes back to the payer (sent from the bank by finance): closed here."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the transfer is returned.", errors={"reason": ["Required."]})
    transfer = _locked(transfer_id)
    transitions.move(transfer, "returned", actor=actor, check=_check, topic="bank_transfer",
                     values={"returned_at": utcnow(), "resolved_by": actor.ref,
                             "note": reason[:500]},
                     payload={"reason": reason[:500]})
    db.session.flush()
    return transfer
