"""Screening an order when it is placed (a job, after commit) and a payment before its
gateway is asked (synchronously, in the transaction that opens the payment, or, when the
card must first be read from the gateway, in its own transaction committed before the
charge: none is open during a gateway call), and carrying out the decision: allow
changes nothing, review holds the order in the review queue, block cancels it, refunds
whatever was taken and stops what could still take money."""
from __future__ import annotations

import logging
import uuid

from flask import current_app, has_request_context, request
from sqlalchemy import select

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict, DomainError
from app.core.money import format_amount
from app.core.requestid import current_client_ip
from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.fraud import attributes, engine, ruleset, velocity
from app.fraud import score as scoring
from app.fraud.models import FraudCheck, FraudReview
from app.orders.models import Order
from app.users.models import User

log = logging.getLogger(__name__)

SCREEN = Actor.system("fraud-screen")
REFUND_NAMESPACE = uuid.UUID("1b0f3e52-7a7e-5d0e-9c1a-6a4f2f1de0c4")


class UnderReview(Conflict):
    code = "under_review"


def capture_placement(order: Order) -> FraudCheck:
    """Keep what only the placing request knows (its IP and the country the proxy saw)
    for the job that screens the order after commit."""
    check = FraudCheck(order_id=order.id, stage="order", status="pending",
                       ip=current_client_ip(), ip_country=_ip_country())
    db.session.add(check)
    return check


def _ip_country() -> str | None:
    header = current_app.config.get("FRAUD_IP_COUNTRY_HEADER")
    if not header or not has_request_context():
        return None
    value = (request.headers.get(header) or "").strip().upper()
    # Cloudflare sends XX (unknown) and T1 (Tor); only real alpha-2 codes are kept.
    return value if len(value) == 2 and value.isalpha() and value != "XX" else None


def evaluate(order: Order, *, stage: str, ip: str | None, ip_country: str | None,
             payment=None) -> tuple[engine.Decision, dict]:
    """The decision and the attributes it saw. Counts the order first at placement, so
    the counters include it."""
    user = db.session.get(User, order.customer_id)
    attrs = attributes.base(order, user, ip=ip, ip_country=ip_country, stage=stage,
                            payment_method=getattr(payment, "method", None),
                            card_country=getattr(payment, "card_country", None),
                            card_fingerprint=getattr(payment, "card_fingerprint", None))
    if stage == "order":
        velocity.record("orders", str(order.id), attributes.identities(attrs))
    lists = ruleset.lists()
    attrs = attributes.complete(attrs, lists, velocity.read(attributes.identities(attrs)))
    config = current_app.config
    decision = engine.decide(ruleset.rules(), attrs, lists,
                             scoring.settings_from(config, order.currency),
                             ruleset.thresholds(config))
    return decision, attrs


def _record(check: FraudCheck, decision: engine.Decision, attrs: dict) -> None:
    check.status, check.action, check.score = "done", decision.action, decision.score
    check.rule_id, check.rule_name = decision.rule_id, decision.rule_name
    check.signals, check.attributes, check.evaluated_at = decision.signals, attrs, utcnow()
    if decision.action == "allow":
        return  # nothing changes; the check row is the record
    audit.record(SCREEN, f"fraud.{decision.action}", "order", check.order_id,
                 after={"stage": check.stage, "score": decision.score,
                        "rule": decision.rule_name, "signals": decision.signals})


def screen_order(order_id) -> list:
    """The placement check (idempotent: a check done is not redone). Returns the refunds
    opened by a block, for the runner to execute once this is committed."""
    order = db.session.get(Order, as_uuid(order_id))
    if order is None:
        return []
    check = db.session.scalars(select(FraudCheck).where(
        FraudCheck.order_id == order.id, FraudCheck.stage == "order")
        .order_by(FraudCheck.created_at).with_for_update()).first()
    if check is None:  # placed by a path that kept no request context (a data import)
        check = FraudCheck(order_id=order.id, stage="order", status="pending")
        db.session.add(check)
    if check.status == "done":
        return []
    decision, attrs = evaluate(order, stage="order", ip=check.ip, ip_country=check.ip_country)
    _record(check, decision, attrs)
    db.session.flush()
    if order.status in ("cancelled", "refunded", "fulfilled"):
        return []  # nothing left to hold or stop; the check is the record
    if decision.action == "review":
        open_review(order, check, decision)
        return []
    if decision.action == "block":
        return block(order, reason=f"Blocked by fraud screening ({decision.rule_name})")
    return []


def screen_payment(payment) -> str:
    """The payment just opened (transaction 1), before its gateway is asked: an order a
    person cleared is not screened again; otherwise the rules decide. Block: the payment
    fails (fraud_blocked) and the order is cancelled; review: the payment is cancelled
    and the order held. Returns the action; the records are made here, so they commit
    with the transaction, and ``refusal`` is what the caller raises afterwards."""
    from app.core import transitions
    from app.payments import rules as payment_rules
    from app.payments.service import actor_for

    review = review_of(payment.order_id)
    if review is not None and review.status == "approved":
        return "allow"
    order = db.session.get(Order, payment.order_id)
    placed = placement_check(order.id)
    check = FraudCheck(order_id=order.id, payment_id=payment.id, stage="payment",
                       ip=placed.ip if placed else None,
                       ip_country=placed.ip_country if placed else None)
    db.session.add(check)
    decision, attrs = evaluate(order, stage="payment", ip=check.ip,
                               ip_country=check.ip_country, payment=payment)
    _record(check, decision, attrs)
    db.session.flush()
    if decision.action == "block":
        transitions.move(payment, "failed", actor=actor_for(payment),
                         check=payment_rules.check_transition, topic="payment",
                         values={"failure_code": "fraud_blocked",
                                 "failure_message": "Blocked by fraud screening."},
                         payload={"order_id": str(order.id)})
        block(order, reason=f"Payment blocked by fraud screening ({decision.rule_name})")
    elif decision.action == "review":
        transitions.move(payment, "cancelled", actor=SCREEN,
                         check=payment_rules.check_transition, topic="payment",
                         values={"failure_code": "fraud_review"},
                         payload={"order_id": str(order.id)})
        open_review(order, check, decision)
    db.session.flush()
    return decision.action


def refusal(action: str, payment_id) -> DomainError:
    """What the payer is answered for a payment screening stopped (nothing of why)."""
    from app.payments.errors import PaymentDeclined

    if action == "block":
        return PaymentDeclined("The payment was declined.",
                               errors={"decline_code": ["blocked"],
                                       "payment_id": [str(payment_id)]})
    return UnderReview("This order is under review; it can be paid once the review is done.",
                       errors={"order_id": ["under_review"]})


def screened(payment_id) -> bool:
    """Whether the payment's screening is on record (a retry does not screen again)."""
    return db.session.scalar(select(FraudCheck.id).where(
        FraudCheck.payment_id == as_uuid(payment_id), FraudCheck.stage == "payment")
        .limit(1)) is not None


def placement_check(order_id) -> FraudCheck | None:
    return db.session.scalars(select(FraudCheck).where(
        FraudCheck.order_id == as_uuid(order_id), FraudCheck.stage == "order")
        .order_by(FraudCheck.created_at)).first()


def review_of(order_id) -> FraudReview | None:
    return db.session.scalars(select(FraudReview).where(
        FraudReview.order_id == as_uuid(order_id))).first()


def refuse_if_under_review(order_id) -> None:
    review = review_of(order_id)
    if review is not None and review.status == "open":
        raise UnderReview("This order is under review; it can be paid once the review is "
                          "done.", errors={"order_id": ["under_review"]})


def open_review(order: Order, check: FraudCheck | None, decision: engine.Decision) -> FraudReview:
    """Hold the order for a person (once per order), tell staff live after commit."""
    from sqlalchemy.exc import IntegrityError

    from app.core import uow

    existing = review_of(order.id)
    if existing is not None:
        return existing
    review = FraudReview(id=uuid.uuid4(), order_id=order.id,
                         check_id=check.id if check else None, score=decision.score,
                         rule_name=decision.rule_name, status="open")
    try:
        with db.session.begin_nested():  # the other stage may open it at the same moment
            db.session.add(review)
            db.session.flush()
    except IntegrityError:
        return review_of(order.id)
    audit.record(SCREEN, "fraud_review.open", "fraud_review", review.id,
                 after={"order_id": str(order.id), "score": decision.score,
                        "rule": decision.rule_name})
    publish("fraud_review.opened", {"review_id": str(review.id), "order_id": str(order.id)})
    uow.after_commit(_alert, {"review_id": str(review.id), "order_id": str(order.id),
                              "score": decision.score, "rule": decision.rule_name,
                              "amount": order.total_amount, "currency": order.currency,
                              "text": f"Fraud review opened: order #{order.number}, "
                                      f"{format_amount(order.total_amount, order.currency)}",
                              "url": "/admin/fraud/reviews/"})
    return review


def _alert(data: dict) -> None:
    from app.live import emit_to_staff

    try:
        emit_to_staff("fraud_review", data)
    except Exception as exc:  # best effort: the queue and the outbox event are the record
        log.warning("live fraud review alert failed: %s", exc)


def block(order: Order, *, reason: str, actor: Actor = SCREEN) -> list:
    """Stop an order for fraud, whatever money has done meanwhile (the one function the
    screening job, the payment screening and a rejected review share): cancel it (stock
    returns), open a full refund of every payment that took money, and stop every
    payment still open at its gateway (a client secret the app holds could otherwise
    take money for a cancelled order). Returns those calls for the runner to carry out
    after commit (``execute_refunds``); repeating it opens nothing twice."""
    from app.orders import service as orders
    from app.payments import cancellation, refunds
    from app.payments.models import Payment

    db.session.refresh(order)
    if order.status in ("pending_payment", "paid"):
        orders.cancel(order.id, actor=actor, reason=reason[:500])
        # For the customer's message (the notifications package hooks a template here).
        publish("order.cancelled_fraud", {"order_id": str(order.id),
                                          "customer_id": str(order.customer_id)})
    calls = list(cancellation.open_of_order(order.id, actor))
    for payment in db.session.scalars(select(Payment).where(
            Payment.order_id == order.id, Payment.status == "succeeded")
            .order_by(Payment.created_at)).all():
        if payment.refundable <= 0:
            continue
        try:
            with db.session.begin_nested():
                calls.append(refunds.open(
                    uuid.uuid5(REFUND_NAMESPACE, f"fraud\n{payment.id}"), payment.id,
                    amount=None, reason="Order cancelled: fraud", actor=actor, approved=True))
        except DomainError as exc:  # a bank transfer, a gateway unset: finance acts
            log.error("fraud block of order %s: payment %s not refunded: %s",
                      order.id, payment.id, exc.message)
            audit.record(actor, "fraud.refund_needed", "payment", payment.id,
                         after={"order_id": str(order.id), "reason": exc.message})
    return calls


def execute_refunds(calls: list) -> None:
    """After the block committed: ask the gateways for its refunds and cancellations,
    one at a time with no transaction open during each call, each answer committed."""
    from app.core import uow
    from app.payments import cancellation, refunds

    for call in calls:
        if isinstance(call, cancellation.Cancellation):
            # A payment that succeeded before its cancel is recorded so, and refunded
            # as paying nothing (app.payments.unapplied).
            cancellation.cancel_all([call])
            continue
        try:
            refunds.execute(call, resumable=False)
        except DomainError as exc:  # recorded as failed
            log.error("fraud stop: refund %s: %s", call.id, exc.message)
        uow.commit()
