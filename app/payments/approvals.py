"""Refund approval (maker-checker): a refund that takes a payment's refunds above
REFUND_APPROVAL_THRESHOLD (config: minor units per currency) is a request until a second
staff member approves it; then the refund service performs it. Nobody decides on their
own request: refused here, and by a check constraint in the database.

The threshold counts what the payment has refunded and has in flight plus this refund,
so splitting a large refund into small ones does not avoid the approval. A request
reserves nothing: what remains is checked when it is made (open requests counted) and
again by the refund service when it is approved.
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.audit import service as audit
from app.core import transitions
from app.core.actor import Actor
from app.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from app.core.lookup import get_or_not_found
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.payments import payouts, refund_lines, refunds, service as payments
from app.payments.refunds import needs_approval, threshold_for  # noqa: F401 (API)
from app.payments.models import Payment, RefundRequest

DECIDERS = ("admin", "finance")
TRANSITIONS = {"requested": {"approved", "rejected"}, "approved": set(), "rejected": set()}


def _check(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise Conflict(f"This refund request is already {current}.",
                       errors={"status": [f"{current} -> {target} is not allowed."]})


def get(request_id) -> RefundRequest:
    return get_or_not_found(RefundRequest, request_id, "Refund request not found.")


def open_requests(payment_id=None) -> list[RefundRequest]:
    stmt = select(RefundRequest).where(RefundRequest.status == "requested")
    if payment_id is not None:
        stmt = stmt.where(RefundRequest.payment_id == as_uuid(payment_id))
    return list(db.session.scalars(stmt.order_by(RefundRequest.created_at, RefundRequest.id)))


def refundable(payment: Payment) -> None:
    """Refuse what no refund can be made of, whoever asks."""
    if payment.status != "succeeded":
        raise Conflict(f"Only a succeeded payment can be refunded; this one is "
                       f"{payment.status.replace('_', ' ')}.", errors={"status": [payment.status]})
    refunds.check_method(payment)


def request(payment_id, *, amount: int | None, reason: str, actor: Actor,
            request_id: uuid.UUID | None = None, credit_note_id=None,
            lines: list | None = None) -> RefundRequest:
    """A refund waiting for a second staff member's approval; with ``credit_note_id``,
    one that pays out that held credit note (app.payments.payouts); with ``lines``, one
    of returned items (app.payments.refund_lines)."""
    refunds.exclusive(amount=amount, lines=lines, credit_note_id=credit_note_id)
    if as_uuid(payment_id) is None:
        raise NotFound("Payment not found.")
    payment = payments.locked(payment_id)  # requests of one payment one at a time
    refundable(payment)
    note = None
    if credit_note_id is not None:
        note, amount = payouts.check(payment, credit_note_id, amount, lock=False)
        if db.session.scalar(select(func.count()).where(
                RefundRequest.pays_out_credit_note_id == note.id,
                RefundRequest.status == "requested")):
            raise Conflict("A refund request already pays out this credit note.",
                           errors={"credit_note_id": ["Awaiting approval already."]})
    if lines is not None:
        amount, parts = refund_lines.plan(payment, lines)
        lines = refund_lines.as_requested(parts)
    waiting = db.session.scalar(select(func.coalesce(func.sum(RefundRequest.amount), 0)).where(
        RefundRequest.payment_id == payment.id, RefundRequest.status == "requested"))
    left = payment.refundable - waiting
    amount = left if amount is None else amount
    errors = {}
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= max(left, 0):
        errors["amount"] = [f"From 1 to {max(left, 0)} (minor units): what is left after "
                            "refunds done, in flight and awaiting approval."]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Required: the approver reads it."]
    if errors:
        raise InvalidInput("The refund request is not valid.", errors=errors)
    found = RefundRequest(id=request_id or uuid.uuid4(), payment_id=payment.id, amount=amount,
                          currency=payment.currency, reason=reason[:500], status="requested",
                          requested_by=actor.ref, requested_by_label=actor.label[:255],
                          pays_out_credit_note_id=note.id if note is not None else None,
                          lines=lines)
    db.session.add(found)
    audit.record(actor, "refund_request.create", "refund_request", found.id,
                 after={"payment_id": str(payment.id), "amount": amount, "reason": reason[:500]})
    db.session.flush()
    return found


def _decider(request_id, actor: Actor) -> RefundRequest:
    if actor.kind != "staff" or actor.role not in DECIDERS:
        raise PermissionDenied("Only finance or admin staff decide on refund requests.")
    ident = as_uuid(request_id)
    found = db.session.scalars(
        select(RefundRequest).where(RefundRequest.id == ident).with_for_update()
        .execution_options(populate_existing=True)).first() if ident else None
    if found is None:
        raise NotFound("Refund request not found.")
    if found.requested_by == actor.ref:
        raise PermissionDenied("You requested this refund: another staff member must decide.",
                               errors={"decided_by": ["Not the requester (maker-checker)."]})
    return found


def approve(request_id, *, actor: Actor, note: str = "") -> refunds.RefundCall:
    """Approve and open the refund (its amount reserved); the caller then runs
    ``refunds.execute`` with no transaction open, as for any refund."""
    found = _decider(request_id, actor)
    _check(found.status, "approved")
    call = refunds.open(uuid.uuid5(payments.NAMESPACE, f"refund-request\n{found.id}"),
                        found.payment_id, amount=None if found.lines else found.amount,
                        reason=found.reason, actor=actor, approved=True,
                        credit_note_id=found.pays_out_credit_note_id, lines=found.lines)
    if call.amount != found.amount:  # returned items credited meanwhile: not what was asked
        raise Conflict(f"The returned items now come to {call.amount} (minor units), not "
                       f"the {found.amount} requested: reject it and request again.",
                       errors={"amount": [f"{call.amount}, not {found.amount}."]})
    transitions.move(found, "approved", actor=actor, check=_check, topic="refund_request",
                     values=_decision(actor, note, refund_id=call.id),
                     payload={"payment_id": str(found.payment_id), "amount": found.amount})
    db.session.flush()
    return call


def reject(request_id, *, actor: Actor, note: str = "") -> RefundRequest:
    found = _decider(request_id, actor)
    transitions.move(found, "rejected", actor=actor, check=_check, topic="refund_request",
                     values=_decision(actor, note),
                     payload={"payment_id": str(found.payment_id), "amount": found.amount})
    db.session.flush()
    return found


def _decision(actor: Actor, note: str, **values) -> dict:
    return {"decided_by": actor.ref, "decided_by_label": actor.label[:255],
            "decided_at": utcnow(), "decision_note": (note or "").strip()[:500], **values}


def start(payment_id, *, amount: int | None, reason: str, actor: Actor, credit_note_id=None,
          lines: list | None = None):
    """A staff refund: a request when it needs approval, else the refund opened (the
    caller executes it). Returns the RefundRequest or the refunds.RefundCall."""
    payment = payments.get(payment_id)
    refundable(payment)
    wanted = wanted_amount(payment, amount, credit_note_id, lines)
    if isinstance(wanted, int) and needs_approval(payment, wanted):
        return request(payment.id, amount=amount, reason=reason, actor=actor,
                       credit_note_id=credit_note_id, lines=lines)
    return refunds.open(uuid.uuid4(), payment.id, amount=amount, reason=reason, actor=actor,
                        credit_note_id=credit_note_id, lines=lines)


def wanted_amount(payment: Payment, amount, credit_note_id=None, lines=None):
    """What a refund asked for would amount to, to decide whether it needs approval; what
    is wrong with the request is for the refund service to say."""
    if credit_note_id is not None:
        amount = payouts.amount_if_credit_note(credit_note_id) or amount
    if lines is not None:
        try:
            amount = refund_lines.plan(payment, lines)[0]
        except DomainError:
            pass
    return payment.refundable if amount is None else amount
