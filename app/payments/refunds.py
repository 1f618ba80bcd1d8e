"""Refunds of succeeded payments: partial or full, never more than what remains.

Transaction 1 (``open``) reserves the amount on the payment with a guarded UPDATE (and
the row lock on PostgreSQL): of two concurrent refunds that together exceed what
remains, one is refused, and the database's check constraint is the last word. The
gateway call runs with no transaction open; transaction 2 (``record``, also run for the
gateway's refund webhooks) settles it: a succeeded refund becomes refunded money and a
credit note for exactly its amount; a failed one gives its reservation back.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from app import metrics
from app.audit import service as audit
from app.core import transitions
from app.core.actor import Actor
from app.core.errors import Conflict, DomainError, InvalidInput, NotFound
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.invoices import service as invoices
from app.orders import service as orders
from app.payments import gateways, payouts, refund_lines, rules, service as payments
from app.payments.gateways import Outcome
from app.payments.models import Payment, Refund

log = logging.getLogger(__name__)


def refund_id_for(payment_id, principal_ref: str, idempotency_key: str | None) -> uuid.UUID:
    if idempotency_key is None:
        return uuid.uuid4()
    return uuid.uuid5(payments.NAMESPACE, f"refund\n{payment_id}\n{principal_ref}\n{idempotency_key}")


@dataclass(frozen=True)
class RefundCall:
    id: uuid.UUID
    payment_id: uuid.UUID
    gateway_payment_id: str
    amount: int
    # False when the gateway already reported on it (a webhook settled a crashed attempt).
    call_gateway: bool = True
    gateway: str = "stripe"


def check_method(payment: Payment) -> None:
    """Money that came by bank transfer goes back the same way, outside any gateway."""
    if payment.method == "bank_transfer":
        raise Conflict("A bank transfer is refunded by a transfer from the bank; issue the "
                       "credit note from the invoice.", errors={"method": ["bank_transfer"]})


def threshold_for(currency: str) -> int | None:
    limits = current_app.config.get("REFUND_APPROVAL_THRESHOLD") or {}
    return limits.get(currency.upper(), limits.get("*"))


def needs_approval(payment: Payment, amount: int) -> bool:
    """Whether the payment's refunds (done, in flight, and this one) exceed the
    threshold of its currency: then a second staff member must approve it."""
    limit = threshold_for(payment.currency)
    return limit is not None and \
        payment.amount_refunded + payment.amount_refund_pending + amount > limit


def open(refund_id: uuid.UUID, payment_id, *, amount: int | None, reason: str,
         actor: Actor, approved: bool = False, credit_note_id=None,
         lines: list | None = None) -> RefundCall:
    """A pending refund with its amount reserved (transaction 1); the one an earlier
    attempt with the same id left pending is taken up again. Unless ``approved`` (by a
    second staff member), a refund above the approval threshold is refused here, under
    the payment's lock: two refunds each below it, at once, cannot pass it together.
    ``credit_note_id``: it pays out that held credit note, for its amount
    (app.payments.payouts), and issues none of its own. ``lines``: returned items, lines
    and quantities of the paid invoice (app.payments.refund_lines), instead of an amount."""
    exclusive(amount=amount, lines=lines, credit_note_id=credit_note_id)
    existing = db.session.get(Refund, refund_id)
    if existing is not None:
        return call_for(existing)
    if as_uuid(payment_id) is None:
        raise NotFound("Payment not found.")
    payment = payments.locked(payment_id)
    # The same refund opened by a concurrent attempt (a duplicated job) while this one
    # waited for the lock: taken up, not refused as "nothing left".
    existing = db.session.get(Refund, refund_id)
    if existing is not None:
        return call_for(existing)
    if actor.customer_scope not in (None, payment.customer_id):
        raise NotFound("Payment not found.")
    check_method(payment)
    if payment.status != "succeeded" or not payment.gateway_payment_id:
        raise Conflict(f"Only a succeeded payment can be refunded; this one is "
                       f"{payment.status.replace('_', ' ')}.", errors={"status": [payment.status]})
    left = payment.refundable
    if left == 0:
        raise Conflict("Nothing is left to refund on this payment.",
                       errors={"amount": ["Fully refunded, or the rest is being refunded."]})
    note, parts = None, None
    if credit_note_id is not None:
        note, amount = payouts.check(payment, credit_note_id, amount, lock=True)
    if lines is not None:
        amount, parts = refund_lines.plan(payment, lines)
    amount = left if amount is None else amount
    if not 1 <= amount <= left:
        raise InvalidInput("The amount is more than is left to refund.",
                           errors={"amount": [f"From 1 to {left} (minor units)."]})
    if not approved and needs_approval(payment, amount):
        raise Conflict("With the refunds made meanwhile this one needs a second staff "
                       "member's approval; send it again to request it.",
                       errors={"amount": ["Above the approval threshold."]})
    gateway = gateways.get(payment.gateway)
    gateway.require(*gateway.SETTINGS)
    reserved = db.session.execute(
        update(Payment).where(
            Payment.id == payment.id, Payment.status == "succeeded",
            Payment.amount_refunded + Payment.amount_refund_pending + amount <= Payment.amount)
        .values(amount_refund_pending=Payment.amount_refund_pending + amount, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if reserved != 1:
        raise Conflict("Another refund took what is left; reload and try again.")
    refund = Refund(id=refund_id, payment_id=payment.id, amount=amount, currency=payment.currency,
                    status="pending", reason=(reason or "").strip()[:500], created_by=actor.ref,
                    pays_out_credit_note_id=note.id if note is not None else None,
                    lines=parts)
    db.session.add(refund)
    audit.record(actor, "refund.create", "refund", refund.id,
                 after={"payment_id": str(payment.id), "amount": amount,
                        **({"pays_out_credit_note_id": str(note.id)} if note else {}),
                        **({"lines": refund_lines.as_requested(parts)} if parts else {})})
    db.session.flush()
    return RefundCall(refund.id, payment.id, payment.gateway_payment_id, amount,
                      gateway=payment.gateway)


def exclusive(*, amount=None, lines=None, credit_note_id=None) -> None:
    """A refund is of an amount, of returned lines, or of a held credit note's amount."""
    given = [name for name, value in (("amount", amount), ("lines", lines),
                                      ("credit_note_id", credit_note_id)) if value is not None]
    if "lines" in given and len(given) > 1:
        raise InvalidInput("Refund lines, or an amount, or a credit note: not both.",
                           errors={name: ["Not with lines."] for name in given
                                   if name != "lines"})


def call_for(existing: Refund) -> RefundCall:
    return RefundCall(existing.id, existing.payment_id, existing.payment.gateway_payment_id,
                      existing.amount, call_gateway=existing.status == "pending",
                      gateway=existing.payment.gateway)


def execute(call: RefundCall, *, resumable: bool) -> Refund:
    """Ask the gateway for the refund (no transaction open), then record its answer.
    An outage keeps the refund pending (reserved) when it can be retried under its key;
    otherwise it fails and its reservation is given back."""
    if not call.call_gateway:
        return db.session.get(Refund, call.id)
    try:
        outcome = gateways.get(call.gateway).create_refund(call, call.gateway_payment_id)
    except DomainError as exc:
        refund = db.session.get(Refund, call.id)
        if exc.status >= 500 and resumable:
            refund.failure_code, refund.failure_message = exc.code, exc.message[:500]
            db.session.flush()
        else:
            record(call.id, Outcome(None, "failed", failure_code=exc.code,
                                    failure_message=exc.message[:500]))
        raise
    return record(call.id, outcome)


def record(refund_id, outcome: Outcome) -> Refund:
    """Settle a pending refund as the gateway reports it; only forward."""
    refund = db.session.get(Refund, as_uuid(refund_id))
    if refund is None:
        raise NotFound("Refund not found.")
    payment = payments.locked(refund.payment_id)  # sums and state change one at a time
    db.session.refresh(refund)
    if outcome.gateway_id and refund.gateway_refund_id is None:
        refund.gateway_refund_id = outcome.gateway_id
    if refund.status != "pending" or outcome.status not in ("succeeded", "failed"):
        db.session.flush()
        return refund
    actor = payments.actor_for(payment)
    if outcome.status == "failed":
        _move(refund, "failed", failure_code=(outcome.failure_code or "failed")[:100],
              failure_message=(outcome.failure_message or "")[:500] or None)
        _settle(payment, refund.amount, refunded=0)
        return refund
    _move(refund, "succeeded")
    metrics.refund_succeeded(refund.currency, refund.amount)
    _settle(payment, refund.amount, refunded=refund.amount)
    credit(payment, refund)
    db.session.refresh(payment)
    if payment.amount_refunded == payment.amount:
        transitions.move(payment, "refunded", actor=actor, check=rules.check_transition,
                         topic="payment", payload=payments.subject(payment))
        # Only the payment the order took (its invoice) refunds the order: giving back
        # a duplicate payment leaves the order paid by the other one.
        order = orders.get(payment.order_id) if payment.order_id is not None else None
        if order is not None and rules.order_took(payment, order) and \
                order.status in ("paid", "fulfilled"):
            orders.mark_refunded(order.id, actor=actor, note=f"payment {payment.id}")
    db.session.flush()
    return refund


def credit(payment: Payment, refund: Refund) -> None:
    """The credit note for exactly a succeeded refund's amount (tax split like the
    invoice), linked from the refund; for a refund that pays out a held credit note, that
    note. The money went back whatever the invoice allows: if it refuses (credited by hand
    meanwhile), the refund stands and the gap is logged for finance. Public for refunds
    recorded outside ``record`` (the demo's history rows)."""
    if refund.pays_out_credit_note_id is not None:
        refund.credit_note_id = refund.pays_out_credit_note_id
        return
    if payment.invoice_id is None and payment.order_id is not None and \
            not rules.order_took(payment, orders.get(payment.order_id)):
        return  # paid nothing, so never invoiced (app.payments.unapplied)
    invoice_id = payouts.invoice_taken(payment)
    if invoice_id is None:
        log.error("refund %s of payment %s: no invoice to credit", refund.id, payment.id)
        return
    reason = f"Refund {refund.id}: {refund.reason}".strip(": ")
    note = None
    if refund.lines:
        # The returned lines exactly as planned when it was opened; if a credit by hand
        # meanwhile took what they hold, the amount spread over the lines instead: the
        # note always equals the money that went back.
        try:
            with db.session.begin_nested():
                note = invoices.issue_credit_note(
                    invoice_id, actor=payments.actor_for(payment), reason=reason,
                    exact=refund.lines)
        except DomainError as exc:
            log.warning("refund %s: credited by amount, not lines: %s", refund.id, exc.message)
            note = None
    if note is None:
        try:
            with db.session.begin_nested():
                note = invoices.issue_credit_note(
                    invoice_id, actor=payments.actor_for(payment), amount=refund.amount,
                    reason=reason)
        except DomainError as exc:
            log.error("refund %s: no credit note issued: %s", refund.id, exc.message)
            return
    refund.credit_note_id = note.id


def _move(refund: Refund, target: str, **values) -> None:
    transitions.move(refund, target, actor=payments.actor_for(refund.payment),
                     check=rules.check_refund_transition, topic="refund", values=values,
                     payload={"payment_id": str(refund.payment_id), "amount": refund.amount})


def _settle(payment: Payment, reserved: int, *, refunded: int) -> None:
    db.session.execute(
        update(Payment).where(Payment.id == payment.id)
        .values(amount_refund_pending=Payment.amount_refund_pending - reserved,
                amount_refunded=Payment.amount_refunded + refunded, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.expire(payment, ["amount_refund_pending", "amount_refunded", "updated_at"])


def find(gateway_refund_id: str | None, refund_id) -> Refund | None:
    """The refund a gateway event is about: by our id in its metadata, else its own id."""
    if as_uuid(refund_id) is not None:
        found = db.session.get(Refund, as_uuid(refund_id))
        if found is not None:
            return found
    if gateway_refund_id:
        return db.session.scalars(select(Refund).where(
            Refund.gateway_refund_id == gateway_refund_id)).first()
    return None
