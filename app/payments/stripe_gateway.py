"""Stripe through its SDK: PaymentIntents, refunds, webhook signatures, and the
Customers, SetupIntents and PaymentMethods of saved cards (app.payments.methods). The
only module that imports stripe; the services see plain results and domain errors.

Calls retry network errors, 5xx and 429 with exponential backoff (the SDK's
``max_network_retries``, config STRIPE_MAX_NETWORK_RETRIES, 3); a decline is a 402 and is
never retried. Every call that creates money movement carries an idempotency key derived
from our own row's id, so repeating it (a retry, a takeover after a crash) can never
create a second one at Stripe.
"""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

import stripe
from flask import current_app

from app.core.errors import Conflict, InvalidInput
from app.payments import gateways
from app.payments.errors import (BadSignature, CardDeclined, GatewayFailed,
                                 GatewayNotConfigured, GatewayUnavailable)
from app.payments.gateways import Card, EventEffect, Outcome, Remote

NAME = "stripe"
SETTINGS = ("STRIPE_API_KEY",)

# Stripe's PaymentIntent statuses -> ours (processing and the like are still pending).
STATUS = {"requires_action": "requires_action", "succeeded": "succeeded",
          "canceled": "cancelled"}

# Stripe event type -> the payment status it reports.
INTENT_EVENTS = {
    "payment_intent.succeeded": "succeeded",
    "payment_intent.payment_failed": "failed",
    "payment_intent.requires_action": "requires_action",
    "payment_intent.canceled": "cancelled",
}
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def require(*settings: str) -> None:
    gateways.require("Card payments", *settings)


def _client() -> stripe.StripeClient:
    require("STRIPE_API_KEY")
    config = current_app.config
    key = (config["STRIPE_API_KEY"], config["STRIPE_API_BASE"],
           config["STRIPE_TIMEOUT_SECONDS"], config["STRIPE_MAX_NETWORK_RETRIES"])
    clients = current_app.extensions.setdefault("nextgen_stripe_clients", {})
    if key not in clients:
        api_key, base, timeout, retries = key
        clients[key] = stripe.StripeClient(
            api_key, base_addresses={"api": base} if base else None,
            max_network_retries=retries, http_client=stripe.RequestsClient(timeout=timeout))
    return clients[key]


def _calling(action):
    """Run ``action`` (an SDK call), turning transport and server failures into ours."""
    try:
        return action()
    except stripe.CardError:
        raise  # a decline is an answer: the caller records it
    except stripe.APIConnectionError as exc:
        raise GatewayUnavailable("The payment gateway could not be reached; nothing was "
                                 "charged by this attempt. Retry with the same "
                                 "Idempotency-Key.", errors={"gateway": [str(exc)[:300]]}) from None
    except stripe.RateLimitError as exc:
        raise GatewayUnavailable("The payment gateway is busy; retry shortly.",
                                 errors={"gateway": [str(exc)[:300]]}) from None
    except stripe.AuthenticationError:
        raise GatewayNotConfigured("The payment gateway refused our credentials: check "
                                   "STRIPE_API_KEY.") from None
    except stripe.InvalidRequestError as exc:
        raise InvalidInput(f"The payment gateway refused the request: {exc.user_message or exc}",
                           errors={"gateway": [exc.code or "invalid_request"]}) from None
    except stripe.StripeError as exc:  # 5xx after the retries, and anything unforeseen
        raise GatewayFailed("The payment gateway failed; retry with the same Idempotency-Key.",
                            errors={"gateway": [str(exc)[:300]]}) from None


def _intent_outcome(intent) -> Outcome:
    error = intent.get("last_payment_error") or {}
    status = STATUS.get(intent.get("status"), "pending")
    if status == "pending" and error:
        status = "failed"  # requires_payment_method again after a decline
    return Outcome(intent.get("id"), status, intent.get("client_secret"),
                   dict(intent["next_action"]) if intent.get("next_action") else None,
                   error.get("code"), error.get("message"), _intent_card(intent))


def _intent_card(intent) -> Card | None:
    """The card an intent names, where it carries it expanded: its charge's
    ``payment_method_details.card``, its PaymentMethod, or (a decline) the PaymentMethod
    in ``last_payment_error``. An id alone names no card (``card_of_payment`` reads it)."""
    charge = intent.get("latest_charge")
    if isinstance(charge, Mapping):
        card = Card.of((charge.get("payment_method_details") or {}).get("card"))
        if card is not None:
            return card
    for method in (intent.get("payment_method"),
                   (intent.get("last_payment_error") or {}).get("payment_method")):
        if isinstance(method, Mapping) and method.get("type") == "card":
            return Card.of(method.get("card"))
    return None


def create_intent(payment, *, payment_method: str | None = None, customer: str | None = None,
                  off_session: bool = False) -> Outcome:
    """The PaymentIntent of ``payment`` (created once, whatever the repeats), confirmed
    at once when the app sent a payment method. A saved card is charged as its
    ``customer``'s; ``off_session`` when the customer is not there to pass 3-D Secure
    (Stripe then declines with authentication_required instead of asking)."""
    metadata = {"payment_id": str(payment.id)}
    for name in ("order_id", "invoice_id"):
        if getattr(payment, name, None) is not None:
            metadata[name] = str(getattr(payment, name))
    params = {"amount": payment.amount, "currency": payment.currency.lower(),
              "payment_method_types": ["card"], "metadata": metadata}
    if payment_method:
        params.update(payment_method=payment_method, confirm=True)
    if customer:
        params["customer"] = customer
        if off_session and payment_method:
            params["off_session"] = True
    options = {"idempotency_key": f"ngm-payment-{payment.id}"}
    try:
        intent = _calling(lambda: _client().v1.payment_intents.create(params, options))
    except stripe.CardError as exc:  # a decline: an answer, never retried
        error = (exc.json_body or {}).get("error") or {}
        intent = error.get("payment_intent") or {}
        return Outcome(intent.get("id"), "failed",
                       failure_code=error.get("decline_code") or error.get("code") or "card_declined",
                       failure_message=(error.get("message") or str(exc))[:500])
    return _intent_outcome(intent.to_dict())


def create_payment(charge) -> Outcome:
    return create_intent(charge, payment_method=charge.payment_method,
                         customer=charge.customer, off_session=charge.off_session)


# Saved cards (app.payments.methods): the platform's customer at Stripe, card validation
# by SetupIntent, and the customer's PaymentMethods. Keys derive from our ids as above.

def create_customer(user_id, email: str) -> str:
    """The Stripe Customer of our user (one, whatever the repeats within Stripe's
    idempotency window)."""
    options = {"idempotency_key": f"ngm-customer-{user_id}"}
    found = _calling(lambda: _client().v1.customers.create(
        {"email": email, "metadata": {"user_id": str(user_id)}}, options))
    return found["id"]


def create_setup_intent(customer: str, setup_id) -> dict:
    """A SetupIntent validating a card for ``customer`` off session; the app confirms it
    with its client secret (3-D Secure included), then saves the method."""
    options = {"idempotency_key": f"ngm-setup-{setup_id}"}
    found = _calling(lambda: _client().v1.setup_intents.create(
        {"customer": customer, "usage": "off_session", "payment_method_types": ["card"],
         "metadata": {"setup_id": str(setup_id)}}, options)).to_dict()
    return {"id": found["id"], "client_secret": found.get("client_secret"),
            "status": found.get("status")}


def retrieve_payment_method(gateway_id: str) -> dict | None:
    """The card as Stripe holds it: ``{type, customer, brand, last4, exp_month,
    exp_year}``; None when Stripe has no such PaymentMethod."""
    try:
        found = _calling(lambda: _client().v1.payment_methods.retrieve(gateway_id)).to_dict()
    except InvalidInput:
        return None
    card = found.get("card") or {}
    return {"type": found.get("type"), "customer": found.get("customer"),
            "brand": card.get("brand") or "card", "last4": card.get("last4"),
            "exp_month": card.get("exp_month"), "exp_year": card.get("exp_year"),
            "card": Card.of(card) if found.get("type") == "card" else None}


def card_details(gateway_payment_method_id: str) -> Card | None:
    """The card behind a PaymentMethod the app created with Stripe.js (None when Stripe
    has no such card: the charge then fails on its own)."""
    found = retrieve_payment_method(gateway_payment_method_id) \
        if str(gateway_payment_method_id or "").startswith("pm_") else None
    return found["card"] if found else None


def card_of_payment(gateway_payment_id: str) -> Card | None:
    """The card a PaymentIntent was last attempted with (the app confirmed it with its
    client secret, so only Stripe knows which): its PaymentMethod, expanded."""
    intent = _calling(lambda: _client().v1.payment_intents.retrieve(
        gateway_payment_id, {"expand": ["payment_method"]})).to_dict()
    card = _intent_card(intent)
    if card is None and isinstance(intent.get("payment_method"), str):
        card = card_details(intent["payment_method"])  # a Stripe that did not expand
    return card


def attach_payment_method(gateway_id: str, customer: str, method_id) -> None:
    """Attach the card to our customer; a card Stripe declines to save is CardDeclined."""
    options = {"idempotency_key": f"ngm-attach-{method_id}"}
    try:
        _calling(lambda: _client().v1.payment_methods.attach(
            gateway_id, {"customer": customer}, options))
    except stripe.CardError as exc:
        error = (exc.json_body or {}).get("error") or {}
        raise CardDeclined((error.get("message") or "The card was declined.")[:500],
                           errors={"decline_code": [error.get("decline_code")
                                                    or error.get("code") or "card_declined"]}
                           ) from None


def detach_payment_method(gateway_id: str, method_id) -> None:
    """Detach the card from its customer: it can never be charged again. A card Stripe
    no longer holds attached is already where we want it."""
    options = {"idempotency_key": f"ngm-detach-{method_id}"}
    try:
        _calling(lambda: _client().v1.payment_methods.detach(gateway_id, {}, options))
    except InvalidInput:
        found = retrieve_payment_method(gateway_id)
        if found is not None and found["customer"]:
            raise


def capture(payment_id, gateway_payment_id: str) -> Outcome:
    raise Conflict("A card payment is confirmed by the app with its client_secret, not "
                   "captured.", errors={"method": ["card"]})


def cancel(payment_id, gateway_payment_id: str) -> Outcome:
    """Cancel the PaymentIntent: Stripe then refuses to confirm it, so the client secret
    the app holds can no longer take money. An intent that is no longer cancellable
    (the buyer confirmed it meanwhile: succeeded or processing) is refused by Stripe;
    what it is now is then the answer."""
    client = _client()
    options = {"idempotency_key": f"ngm-cancel-{payment_id}"}
    try:
        intent = _calling(lambda: client.v1.payment_intents.cancel(gateway_payment_id, {},
                                                                   options))
    except InvalidInput:
        intent = _calling(lambda: client.v1.payment_intents.retrieve(gateway_payment_id))
    return _intent_outcome(intent.to_dict())


def create_refund(refund, gateway_payment_id: str) -> Outcome:
    params = {"payment_intent": gateway_payment_id, "amount": refund.amount,
              "metadata": {"refund_id": str(refund.id), "payment_id": str(refund.payment_id)}}
    options = {"idempotency_key": f"ngm-refund-{refund.id}"}
    found = _calling(lambda: _client().v1.refunds.create(params, options))
    return refund_outcome(found.to_dict())


def refund_outcome(found) -> Outcome:
    status = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}.get(
        found.get("status"), "pending")
    return Outcome(found.get("id"), status, failure_code=found.get("failure_reason"))


def intent_outcome(intent: dict) -> Outcome:
    """What a webhook's PaymentIntent says."""
    return _intent_outcome(intent)


def parse_webhook(payload: bytes, headers: Mapping[str, str]) -> dict:
    return verify(payload, headers.get("Stripe-Signature"))


def event_effect(event: dict) -> EventEffect:
    obj = ((event.get("data") or {}).get("object")) or {}
    metadata = obj.get("metadata") or {}
    if event["type"] in INTENT_EVENTS:
        return EventEffect("payment", metadata.get("payment_id"), obj.get("id"),
                           INTENT_EVENTS[event["type"]], _intent_outcome(obj))
    if event["type"] in REFUND_EVENTS:
        return EventEffect("refund", metadata.get("refund_id"), obj.get("id"),
                           None, refund_outcome(obj))
    return EventEffect(None)


def recent(since: datetime, open_payments: list) -> list[Remote]:
    """PaymentIntents and refunds created since ``since``. Stripe lists newest first:
    pages are followed until one is older (no ``created`` filter: localstripe, the
    tests' Stripe, does not take it, and the early stop costs the same)."""
    client = _client()
    found = []
    for intent in _newest_since(client.v1.payment_intents, since):
        outcome = _intent_outcome(intent)
        found.append(Remote("payment", intent["id"], (intent.get("metadata") or {}).get(
            "payment_id"), intent.get("amount"), (intent.get("currency") or "").upper() or None,
            outcome.status, outcome))
    for refund in _newest_since(client.v1.refunds, since):
        outcome = refund_outcome(refund)
        found.append(Remote("refund", refund["id"], (refund.get("metadata") or {}).get(
            "refund_id"), refund.get("amount"), (refund.get("currency") or "").upper() or None,
            outcome.status, outcome, refund.get("payment_intent")))
    return found


def _newest_since(service, since: datetime):
    cutoff = int(since.timestamp())
    for item in _calling(lambda: service.list({"limit": 100})).auto_paging_iter():
        item = item.to_dict()
        if (item.get("created") or 0) < cutoff:
            return
        yield item


def verify(payload: bytes, signature: str | None) -> dict:
    """The event, if ``signature`` (the Stripe-Signature header) signs ``payload`` with
    our secret within the tolerance window (BadSignature, 400, otherwise); a signed body
    that is not an event is InvalidInput (422)."""
    require("STRIPE_WEBHOOK_SECRET")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature or "", current_app.config["STRIPE_WEBHOOK_SECRET"],
            tolerance=current_app.config["STRIPE_WEBHOOK_TOLERANCE_SECONDS"])
    except stripe.SignatureVerificationError as exc:
        raise BadSignature(f"Bad signature: {exc.user_message or exc}"[:300]) from None
    except ValueError:  # signed, but not JSON
        raise BadSignature("The body is not JSON.") from None
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"Not a Stripe event: {exc}"[:300]) from None
    event = event.to_dict()
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str) \
            or not event["id"]:
        raise InvalidInput("Not a Stripe event: no id or type.",
                           errors={"body": ["id and type are required"]})
    return event
