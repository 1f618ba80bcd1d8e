"""Gateway payments for orders, and for invoices that have no order (a manual invoice),
by card through Stripe (a new card, or a saved one: app.payments.methods) or PayPal:
opening one (validated,
stored pending), creating it at its gateway, capturing it (PayPal, after the buyer
approved), and moving it as the gateway reports. Refunds are in app.payments.refunds, cancelling in
app.payments.cancellation,
webhooks in app.payments.webhooks, the gateways behind app.payments.gateways.

Transaction boundaries (the runner commits; see api/payments/routes.py): ``open_payment``
runs in transaction 1 and its pending row is committed before ``charge`` calls the
gateway with no transaction open; ``charge`` then records the answer in transaction 2.
The gateway call is idempotent by our payment id, so repeating it never charges twice.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import metrics
from app.audit import service as audit
from app.core import keyset, transitions
from app.core.actor import Actor
from app.core.errors import Conflict, DomainError, InvalidInput, NotFound
from app.core.lookup import get_or_not_found
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.fraud import checks as fraud_checks
from app.invoices import service as invoices
from app.invoices.rules import OPEN_STATUSES as INVOICE_OPEN
from app.orders import service as orders
from app.payments import gateways, methods, rules
from app.payments.errors import CardDeclined, PaymentDeclined
from app.payments.gateways import Outcome
from app.payments.models import Payment

log = logging.getLogger(__name__)

# Who moves a payment when the gateway reports: the gateway, not the caller.
GATEWAY = Actor.system("stripe")
ACTORS = {"stripe": GATEWAY, "paypal": Actor.system("paypal")}
# Payment ids derived from (caller, Idempotency-Key): a retry finds the same payment.
NAMESPACE = uuid.UUID("6f1d3c1e-8a43-5c55-9a57-1f6c0e7a2b11")


def payment_id_for(principal_ref: str, idempotency_key: str | None) -> uuid.UUID:
    if idempotency_key is None:
        return uuid.uuid4()
    return uuid.uuid5(NAMESPACE, f"payment\n{principal_ref}\n{idempotency_key}")


@dataclass(frozen=True)
class Charge:
    """What the gateway call needs, read in transaction 1 (no row is touched during it)."""
    id: uuid.UUID
    order_id: uuid.UUID | None
    amount: int
    currency: str
    payment_method: str | None = None
    # False when the gateway already reported on it (a webhook healed a crashed attempt).
    call_gateway: bool = True
    gateway: str = "stripe"
    # Set when an earlier attempt got the gateway's id: a gateway whose request ids
    # expire (PayPal: 6 hours) reads that payment instead of creating another.
    gateway_payment_id: str | None = None
    # An invoice without an order is paid directly.
    invoice_id: uuid.UUID | None = None
    # A saved card: charged as its owner's, at the gateway's customer.
    customer: str | None = None
    # The customer is not there to pass 3-D Secure (a partner charges the saved card).
    off_session: bool = False
    # "block" or "review" when fraud screening stopped it (app.fraud.checks).
    fraud: str | None = None
    # Screening waits for the card, which only the gateway can tell (a card the app
    # created with Stripe.js, or a saved one whose details were not kept): ``charge``
    # reads it with no transaction open, then screens, before asking for money.
    screen: bool = False


@dataclass(frozen=True)
class Capture:
    """A capture to ask the gateway for, read in transaction 1."""
    id: uuid.UUID
    gateway: str
    gateway_payment_id: str


def get(payment_id) -> Payment:
    return get_or_not_found(Payment, payment_id, "Payment not found.")


def get_visible(payment_id, actor: Actor) -> Payment:
    """Customers see their own payments; someone else's is 'not found'."""
    payment = get(payment_id)
    if actor.customer_scope not in (None, payment.customer_id):
        raise NotFound("Payment not found.")
    return payment


def list_payments(*, customer_id=None, status: str | None = None, order_id=None,
                  cursor: str | None = None, limit: int = 50) -> tuple[list[Payment], str | None]:
    stmt = select(Payment).options(selectinload(Payment.refunds))
    if customer_id is not None:
        stmt = stmt.where(Payment.customer_id == as_uuid(customer_id))
    if status:
        stmt = stmt.where(Payment.status == status)
    if order_id is not None:
        stmt = stmt.where(Payment.order_id == as_uuid(order_id))
    return keyset.page(stmt, Payment, cursor=cursor, limit=limit)


def open_payment(payment_id: uuid.UUID, *, order_id=None, invoice_id=None, amount: int,
                 currency: str, method: str = "card", payment_method: str | None = None,
                 payment_method_id=None, actor: Actor) -> Charge:
    """A pending payment of the open balance of an order, or of an invoice that has no
    order, by ``method`` through its gateway (transaction 1); ``payment_method_id``
    charges the customer's saved card. The payment a crashed or failed attempt with the
    same id left behind is taken up again."""
    gateway = gateways.for_method(method)
    existing = db.session.get(Payment, payment_id)
    if existing is not None:
        saved = methods.for_charge(existing.payment_method_id, existing.customer_id)
        call = existing.status in rules.OPEN
        return Charge(existing.id, existing.order_id, existing.amount, existing.currency,
                      saved.gateway_payment_method_id if saved else payment_method,
                      call_gateway=call,
                      # An attempt that died before its screening was recorded.
                      screen=call and existing.order_id is not None
                      and not fraud_checks.screened(existing.id),
                      gateway=existing.gateway, gateway_payment_id=existing.gateway_payment_id,
                      invoice_id=existing.invoice_id if existing.order_id is None else None,
                      customer=saved.customer if saved else None,
                      off_session=saved.off_session(actor) if saved else False)
    if (order_id is None) == (invoice_id is None):
        raise InvalidInput("Name what is paid: an order or an invoice, not both.",
                           errors={"order_id": ["Give order_id or invoice_id."],
                                   "invoice_id": ["Give order_id or invoice_id."]})
    if payment_method_id is not None:
        if method != "card":
            raise InvalidInput("Saved payment methods are cards.",
                               errors={"payment_method_id": ["Only with method card."]})
        if payment_method:
            raise InvalidInput("Send a new card or a saved one, not both.",
                               errors={"payment_method": ["Not with payment_method_id."]})
    target = _order_target(order_id, actor) if order_id is not None \
        else _invoice_target(invoice_id, actor)
    errors = {}
    currency = currency.upper()  # Stripe writes currencies in lower case; both are ISO 4217
    if currency != target.currency:
        errors["currency"] = [f"The {target.noun} is in {target.currency}."]
    if amount != target.due:
        errors["amount"] = [f"Must equal the {target.noun}'s open balance: {target.due} "
                            "(minor units)."]
    if errors:
        raise InvalidInput(f"The payment does not match the {target.noun}.", errors=errors)
    saved = None
    if payment_method_id is not None:
        saved = methods.chargeable(payment_method_id, customer_id=target.customer_id,
                                   actor=actor)
    gateway.require(*gateway.SETTINGS)
    payment = Payment(id=payment_id, order_id=target.order_id, invoice_id=target.invoice_id,
                      customer_id=target.customer_id, method=method, gateway=gateway.NAME,
                      status="pending", amount=amount, currency=currency, amount_refunded=0,
                      amount_refund_pending=0, created_by=actor.ref,
                      payment_method_id=saved.id if saved else None)
    remember_card(payment, saved.card if saved else None)
    db.session.add(payment)
    audit.record(actor, "payment.create", "payment", payment.id,
                 after={target.key: str(target.id), "amount": amount, "currency": currency,
                        **({"payment_method_id": str(saved.id)} if saved else {})})
    db.session.flush()
    # Screened before the gateway is asked for money; a block or a hold is recorded in
    # this transaction and answered by ``charge`` without calling the gateway. Fraud rules
    # read orders: an invoice without one is not screened.
    # The card is screened too when the charge names one: known for a saved card, else
    # read from the gateway by ``charge`` (no call while this transaction is open).
    charged_card = saved.gateway_payment_method_id if saved else payment_method
    screen_later = target.order_id is not None and bool(charged_card) \
        and payment.card_fingerprint is None
    if target.order_id is not None and not screen_later:
        action = fraud_checks.screen_payment(payment)
        if action != "allow":
            return Charge(payment.id, target.order_id, amount, currency, payment_method,
                          call_gateway=False, gateway=gateway.NAME, fraud=action)
    return Charge(payment.id, target.order_id, amount, currency, charged_card,
                  gateway=gateway.NAME, invoice_id=target.invoice_id,
                  customer=saved.customer if saved else None,
                  off_session=saved.off_session(actor) if saved else False,
                  screen=screen_later)


def remember_card(payment: Payment, card) -> None:
    """The card the gateway told of (``gateways.Card``), kept once on the payment."""
    if card is not None and payment.card_fingerprint is None:
        payment.card_country, payment.card_fingerprint = card.country, card.fingerprint


def _screen_with_card(ch: Charge, *, resumable: bool) -> str:
    """Read the card from the gateway (no transaction open), screen the payment with it,
    and commit the screening before the gateway is asked for money (so no transaction
    is open during that call either). Returns the action. The gateway failing to answer
    is handled as when it fails to create the payment (nothing was charged)."""
    from app.core import uow

    try:
        card = gateways.get(ch.gateway).card_details(ch.payment_method)
    except DomainError as exc:
        _gateway_failed(ch, exc, resumable=resumable)
        raise
    payment = _locked(ch.id)
    remember_card(payment, card)
    methods.remember_card(payment.payment_method_id, card)
    action = fraud_checks.screen_payment(payment)
    uow.commit()
    return action


@dataclass(frozen=True)
class _Target:
    """What a payment pays: an order, or an invoice that has no order."""
    noun: str  # order | invoice
    id: uuid.UUID
    customer_id: uuid.UUID
    currency: str
    due: int

    @property
    def key(self) -> str:
        return f"{self.noun}_id"

    @property
    def order_id(self):
        return self.id if self.noun == "order" else None

    @property
    def invoice_id(self):
        return self.id if self.noun == "invoice" else None


def _in_flight(column, ident) -> None:
    in_flight = db.session.scalar(select(Payment.id).where(
        column == ident, Payment.status.in_(rules.OPEN)))
    if in_flight is not None:
        raise Conflict(f"This {column.key.removesuffix('_id')} has a payment in progress: "
                       "confirm it with its client_secret (PayPal: approve and capture it), "
                       "cancel it, or retry with its Idempotency-Key.",
                       errors={"payment_id": [str(in_flight)]})


def _order_target(order_id, actor: Actor) -> _Target:
    order = orders.get_visible(order_id, actor)
    # Under the order's lock, so that two requests (other keys, other tabs) cannot both
    # open a payment for it: the customer could confirm both and be charged twice.
    db.session.refresh(order, with_for_update=True)
    _in_flight(Payment.order_id, order.id)
    if order.status == "cancelled":
        raise Conflict("This order is cancelled; it cannot be paid.",
                       errors={"order_id": ["cancelled"]})
    if order.status != "pending_payment":
        raise Conflict("This order is already paid.", errors={"order_id": [order.status]})
    fraud_checks.refuse_if_under_review(order.id)
    return _Target("order", order.id, order.customer_id, order.currency, order.total_amount)


def _invoice_target(invoice_id, actor: Actor) -> _Target:
    """An issued invoice that has no order (an order's invoice is paid with its order),
    with its open balance, under its lock (as an order's)."""
    invoice = invoices.get_visible(invoice_id, actor)
    db.session.refresh(invoice, with_for_update=True)
    if invoice.kind != "invoice":
        raise Conflict("A credit note is never paid.", errors={"invoice_id": ["credit_note"]})
    if invoice.order_id is not None:
        raise Conflict("This invoice is its order's: pay the order.",
                       errors={"order_id": [str(invoice.order_id)]})
    _in_flight(Payment.invoice_id, invoice.id)
    if invoice.status == "paid":
        raise Conflict("This invoice is already paid.", errors={"invoice_id": ["paid"]})
    if invoice.status not in INVOICE_OPEN:
        raise Conflict(f"A {invoice.status} invoice cannot be paid.",
                       errors={"invoice_id": [invoice.status]})
    if invoice.customer_id is None:
        raise Conflict("This invoice has no customer account to pay it from: it is paid "
                       "by bank transfer.", errors={"invoice_id": ["no customer"]})
    return _Target("invoice", invoice.id, invoice.customer_id, invoice.currency,
                   invoice.amount_due)


def open_card(payment_id: uuid.UUID, **kwargs) -> Charge:
    return open_payment(payment_id, method="card", **kwargs)


def charge(ch: Charge, *, resumable: bool) -> tuple[Payment, str | None]:
    """Ask the gateway for the payment (Stripe: its PaymentIntent; PayPal: its order; no
    transaction is open during the call), then record its answer (transaction 2).
    Returns the payment and the client secret the app confirms with (Stripe). A gateway
    outage leaves the payment pending with the reason when the request can be retried
    under its key, else failed."""
    if ch.fraud is not None:  # screening stopped it in transaction 1 (recorded there)
        raise fraud_checks.refusal(ch.fraud, ch.id)
    if not ch.call_gateway:
        return get(ch.id), None
    if ch.screen:
        action = _screen_with_card(ch, resumable=resumable)
        if action != "allow":
            raise fraud_checks.refusal(action, ch.id)
    try:
        outcome = gateways.get(ch.gateway).create_payment(ch)
    except DomainError as exc:
        _gateway_failed(ch, exc, resumable=resumable)
        raise
    payment = apply(_locked(ch.id), outcome.status, outcome)
    if outcome.status == "failed":  # a decline is an answer: recorded, never retried
        raise CardDeclined(outcome.failure_message or "The card was declined.",
                           errors={"decline_code": [outcome.failure_code or "card_declined"],
                                   "payment_id": [str(payment.id)]})
    return payment, outcome.client_secret


def _gateway_failed(ch: Charge, exc: DomainError, *, resumable: bool) -> None:
    """An outage keeps the payment pending with the reason when the request can be
    retried under its key; otherwise (or for a refusal) it fails."""
    payment = _locked(ch.id)
    if exc.status >= 500 and resumable:
        payment.failure_code, payment.failure_message = exc.code, exc.message[:500]
        db.session.flush()
    else:
        apply(payment, "failed", Outcome(None, "failed", failure_code=exc.code,
                                         failure_message=exc.message[:500]))


def open_capture(payment_id, actor: Actor) -> Capture:
    """What capturing a payment the buyer approved at the gateway needs (transaction 1).
    Capturing twice is harmless: the gateway answers with the first capture."""
    payment = get_visible(payment_id, actor)
    if payment.status in ("succeeded", "refunded"):
        return Capture(payment.id, payment.gateway, "")  # already captured: nothing to do
    if payment.status not in rules.OPEN or not payment.gateway_payment_id:
        raise Conflict(f"A {payment.status.replace('_', ' ')} payment cannot be captured.",
                       errors={"status": [payment.status]})
    gateway = gateways.get(payment.gateway)
    gateway.require(*gateway.SETTINGS)
    return Capture(payment.id, payment.gateway, payment.gateway_payment_id)


def capture(call: Capture) -> Payment:
    """Ask the gateway to capture (no transaction open), then record its answer: the
    order and invoice are paid in the same transaction when it succeeded."""
    if not call.gateway_payment_id:
        return get(call.id)
    outcome = gateways.get(call.gateway).capture(call.id, call.gateway_payment_id)
    payment = apply(_locked(call.id), outcome.status, outcome)
    if payment.status == "failed":  # an answer, recorded (the customer is told); the
        # order stays payable by a new payment
        raise PaymentDeclined(outcome.failure_message or "The payment was declined.",
                              errors={"decline_code": [payment.failure_code or "declined"],
                                      "payment_id": [str(payment.id)]})
    return payment


def _locked(payment_id) -> Payment:
    """The payment under its row lock (PostgreSQL): gateway answers, webhooks and refunds
    of one payment are applied one at a time."""
    payment = db.session.scalars(select(Payment).where(Payment.id == payment_id)
                                 .with_for_update()
                                 .execution_options(populate_existing=True)).first()
    if payment is None:
        raise NotFound("Payment not found.")
    return payment


def locked(payment_id) -> Payment:
    return _locked(as_uuid(payment_id))


def apply(payment: Payment, target: str, outcome: Outcome) -> Payment:
    """Record what the gateway says of a (locked) payment. Only forward: a late, repeated
    or out-of-order report changes nothing but a missing gateway id."""
    if outcome.gateway_id and payment.gateway_payment_id is None:
        payment.gateway_payment_id = outcome.gateway_id
    remember_card(payment, outcome.card)
    if not rules.moves_forward(payment.status, target):
        db.session.flush()
        return payment
    if target == "succeeded":
        return _succeed(payment)
    values = {"next_action": outcome.next_action}
    if target == "failed":
        values.update(failure_code=(outcome.failure_code or "failed")[:100],
                      failure_message=(outcome.failure_message or "")[:500] or None)
    transitions.move(payment, target, actor=actor_for(payment), check=rules.check_transition,
                     topic="payment", values=values, payload=subject(payment))
    db.session.flush()
    return payment


def actor_for(payment: Payment) -> Actor:
    return ACTORS.get(payment.gateway, GATEWAY)


def _succeed(payment: Payment, *, actor: Actor | None = None,
             reference: str | None = None) -> Payment:
    """Money captured: the payment, its order and the order's invoice (issued paid,
    equal to the order) in one transaction, with their events. Bank transfers pass the
    staff member or partner who recorded them and the payer's reference."""
    actor = actor or actor_for(payment)
    reference = reference or payment.gateway_payment_id or f"payment {payment.id}"
    if payment.order_id is None:
        return _succeed_invoice(payment, actor, reference)
    order = orders.get(payment.order_id)
    invoice_id = None
    if order.status == "pending_payment":
        orders.mark_paid(order.id, actor=actor, payment_reference=reference)
        invoice_id = invoices.create_from_order(order.id, actor=actor).id
    elif order.payment_reference == reference:
        invoice_id = invoices.create_from_order(order.id, actor=actor).id
    else:
        # Paid twice (another payment got there first) or cancelled meanwhile: the money
        # is recorded, the order is left alone, and the payment is refunded in full
        # (payment.succeeded -> app.payments.unapplied).
        log.warning("payment %s succeeded for order %s that is %s", payment.id, order.id,
                    order.status)
    transitions.move(payment, "succeeded", actor=actor, check=rules.check_transition,
                     topic="payment",
                     values={"succeeded_at": utcnow(), "invoice_id": invoice_id,
                             "next_action": None, "failure_code": None, "failure_message": None},
                     payload={"order_id": str(order.id),
                              "invoice_id": str(invoice_id) if invoice_id else None})
    metrics.payment_succeeded(payment.currency, payment.amount)
    db.session.flush()
    return payment


def _succeed_invoice(payment: Payment, actor: Actor, reference: str) -> Payment:
    """Money captured for an invoice without an order: the invoice is paid with it."""
    invoice = invoices.get(payment.invoice_id)
    if invoice.status in INVOICE_OPEN and invoice.amount_due == payment.amount:
        invoices.mark_paid(invoice.id, actor=actor, reference=reference)
    else:
        # Paid meanwhile (a bank transfer got there first) or voided: the money is
        # recorded, the invoice left alone, and the payment is one to refund.
        log.warning("payment %s succeeded for invoice %s that is %s", payment.id, invoice.id,
                    invoice.status)
    transitions.move(payment, "succeeded", actor=actor, check=rules.check_transition,
                     topic="payment",
                     values={"succeeded_at": utcnow(), "next_action": None,
                             "failure_code": None, "failure_message": None},
                     payload=subject(payment))
    db.session.flush()
    return payment


def subject(payment: Payment) -> dict:
    """What a payment's events say it pays."""
    return {"order_id": _text(payment.order_id), "invoice_id": _text(payment.invoice_id)}


def _text(value):
    return str(value) if value is not None else None


def record_received(payment: Payment, *, actor: Actor, reference: str) -> Payment:
    """Money received outside a gateway (a bank transfer): the pending ``payment`` succeeds
    with its order and invoice, exactly as a gateway's success would."""
    return _succeed(payment, actor=actor, reference=reference)
