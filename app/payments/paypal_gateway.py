"""PayPal through its server SDK (``paypal-server-sdk``): Orders v2 with intent CAPTURE.
The only module that imports paypalserversdk; it fits app.payments.gateways.Gateway.

The flow: ``create_payment`` creates the PayPal order (our payment id as the purchase
unit's ``custom_id``, so every capture, refund and webhook names it) and returns the
buyer's approval link; after the buyer approved, the app calls the capture endpoint
(``capture``); ``PAYMENT.CAPTURE.*`` webhooks and reconciliation report the same thing
and only move state forward. Every POST carries ``PayPal-Request-Id`` derived from our
row's id, so PayPal answers a repeat with the first result and never moves money twice;
that makes POSTs safe to retry (SDK retries: PAYPAL_MAX_RETRIES on 429 and 5xx).

Webhook verification is PayPal's verify-webhook-signature API, which the SDK does not
wrap: it is called over HTTP with the SDK's own OAuth token (the documented call).
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Mapping
from urllib.parse import urlsplit

import requests
from flask import current_app
from paypalserversdk.configuration import Configuration, Environment, Server
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.models.amount_with_breakdown import AmountWithBreakdown
from paypalserversdk.models.checkout_payment_intent import CheckoutPaymentIntent
from paypalserversdk.models.money import Money
from paypalserversdk.models.order_request import OrderRequest
from paypalserversdk.models.payment_source import PaymentSource
from paypalserversdk.models.paypal_wallet import PaypalWallet
from paypalserversdk.models.paypal_wallet_experience_context import (
    PaypalWalletExperienceContext,
)
from paypalserversdk.models.purchase_unit_request import PurchaseUnitRequest
from paypalserversdk.models.refund_request import RefundRequest
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

from app.core.errors import Conflict, InvalidInput
from app.core.money import decimal_amount, exact_minor, parse_decimal
from app.payments import gateways
from app.payments.errors import (BadSignature, GatewayFailed, GatewayNotConfigured,
                                 GatewayUnavailable)
from app.payments.gateways import EventEffect, Outcome, Remote

log = logging.getLogger(__name__)

NAME = "paypal"
SETTINGS = ("PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET")

# PayPal order statuses -> ours: the buyer must approve (CREATED, PAYER_ACTION_REQUIRED)
# and we must capture (APPROVED) before money moves.
ORDER_STATUS = {"CREATED": "requires_action", "PAYER_ACTION_REQUIRED": "requires_action",
                "APPROVED": "requires_action", "SAVED": "requires_action",
                "VOIDED": "cancelled"}
CAPTURE_STATUS = {"COMPLETED": "succeeded", "DECLINED": "failed", "FAILED": "failed",
                  "PENDING": "pending", "REFUNDED": "succeeded",
                  "PARTIALLY_REFUNDED": "succeeded"}
REFUND_STATUS = {"COMPLETED": "succeeded", "FAILED": "failed", "CANCELLED": "failed"}
# Webhook event types we act on -> (kind, the payment status they report).
CAPTURE_EVENTS = {"PAYMENT.CAPTURE.COMPLETED": "succeeded", "PAYMENT.CAPTURE.DENIED": "failed",
                  "PAYMENT.CAPTURE.DECLINED": "failed", "PAYMENT.CAPTURE.PENDING": "pending"}
REFUND_EVENTS = ("PAYMENT.CAPTURE.REFUNDED", "PAYMENT.REFUND.COMPLETED",
                 "PAYMENT.REFUND.FAILED", "PAYMENT.REFUND.CANCELLED")
AUTH_ALGORITHMS = ("SHA256withRSA", "SHA1withRSA", "SHA512withRSA")
VERIFY_HEADERS = ("PAYPAL-AUTH-ALGO", "PAYPAL-CERT-URL", "PAYPAL-TRANSMISSION-ID",
                  "PAYPAL-TRANSMISSION-SIG", "PAYPAL-TRANSMISSION-TIME")


def require(*settings: str) -> None:
    gateways.require("PayPal payments", *(settings or SETTINGS))


def _base() -> str:
    config = current_app.config
    if config.get("PAYPAL_API_BASE"):
        return config["PAYPAL_API_BASE"]
    return Configuration.environments[_environment()][Server.DEFAULT]


def _environment() -> Environment:
    name = (current_app.config.get("PAYPAL_ENVIRONMENT") or "sandbox").lower()
    return Environment.PRODUCTION if name in ("live", "production") else Environment.SANDBOX


class _Configuration(Configuration):
    """The SDK's configuration with its server pointed at PAYPAL_API_BASE (a test fake,
    a proxy): the SDK only knows PayPal's two environments."""

    def __init__(self, *args, base_uri: str, **kwargs):
        self._base_uri = base_uri
        super().__init__(*args, **kwargs)

    def get_base_uri(self, server=Server.DEFAULT):
        return self._base_uri

    def clone_with(self, **kwargs):  # the SDK clones its configuration: keep the base
        clone = super().clone_with(**kwargs)
        clone.__class__, clone._base_uri = _Configuration, self._base_uri
        return clone


def _client() -> PaypalServersdkClient:
    require()
    config = current_app.config
    key = (config["PAYPAL_CLIENT_ID"], config["PAYPAL_CLIENT_SECRET"], _base(),
           config["PAYPAL_TIMEOUT_SECONDS"], config["PAYPAL_MAX_RETRIES"],
           config["PAYPAL_RETRY_BACKOFF"])
    clients = current_app.extensions.setdefault("nextgen_paypal_clients", {})
    if key not in clients:
        client_id, secret, base, timeout, retries, backoff = key
        clients[key] = PaypalServersdkClient(config=_Configuration(
            base_uri=base, environment=_environment(), timeout=timeout, max_retries=retries,
            backoff_factor=backoff, retry_statuses=[429, 500, 502, 503, 504],
            # POSTs too: each carries a PayPal-Request-Id, so a repeat is the first answer.
            retry_methods=["GET", "POST"],
            client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
                o_auth_client_id=client_id, o_auth_client_secret=secret)))
    return clients[key]


def _calling(action) -> dict:
    """Run an SDK call; its JSON body as a dict, failures turned into ours."""
    try:
        response = action()
    except requests.RequestException as exc:
        raise GatewayUnavailable("PayPal could not be reached; nothing was charged by this "
                                 "attempt. Retry with the same Idempotency-Key.",
                                 errors={"gateway": [str(exc)[:300]]}) from None
    except ApiException as exc:
        raise _refusal(exc) from None
    return json.loads(response.text or "{}")


def _refusal(exc: ApiException):
    try:
        body = json.loads(exc.response.text or "{}")
    except (ValueError, AttributeError):
        body = {}
    name = body.get("name") or body.get("error") or "error"
    details = [d.get("issue") for d in body.get("details") or [] if isinstance(d, dict)]
    message = body.get("message") or body.get("error_description") or str(exc)
    status = exc.response_code
    if status == 401:
        return GatewayNotConfigured("PayPal refused our credentials: check PAYPAL_CLIENT_ID "
                                    "and PAYPAL_CLIENT_SECRET.")
    if status == 429:
        return GatewayUnavailable("PayPal is busy; retry shortly.", errors={"gateway": [name]})
    if status >= 500:
        return GatewayFailed("PayPal failed; retry with the same Idempotency-Key.",
                             errors={"gateway": [str(message)[:300]]})
    if status == 422 and details:
        return Conflict(f"PayPal refused: {message}"[:300],
                        errors={"gateway": [str(d) for d in details if d] or [name]})
    return InvalidInput(f"PayPal refused the request: {message}"[:300],
                        errors={"gateway": [str(d) for d in details if d] or [name]})


def _money(amount: int, currency: str) -> dict:
    return {"currency_code": currency.upper(), "value": decimal_amount(amount, currency.upper())}


def _minor(money: dict | None) -> tuple[int | None, str | None]:
    if not money or not money.get("currency_code"):
        return None, None
    currency = money["currency_code"].upper()
    return exact_minor(parse_decimal(money.get("value")), currency), currency


def _approval_url(order: dict) -> str | None:
    return next((link.get("href") for link in order.get("links") or []
                 if link.get("rel") in ("payer-action", "approve")), None)


def _captures(order: dict) -> list[dict]:
    return [capture for unit in order.get("purchase_units") or []
            for capture in ((unit.get("payments") or {}).get("captures") or [])]


def _order_refunds(order: dict) -> list[dict]:
    return [refund for unit in order.get("purchase_units") or []
            for refund in ((unit.get("payments") or {}).get("refunds") or [])]


def order_outcome(order: dict) -> Outcome:
    """Our status of a PayPal order: its capture's when captured, else the order's."""
    captures = _captures(order)
    if captures:
        capture = captures[-1]
        status = CAPTURE_STATUS.get(capture.get("status"), "pending")
        reason = (capture.get("status_details") or {}).get("reason")
        return Outcome(order.get("id"), status,
                       failure_code=(reason or "capture_declined") if status == "failed" else None,
                       failure_message=f"PayPal capture {capture.get('status', '').lower()}"
                       if status == "failed" else None)
    status = ORDER_STATUS.get(order.get("status"), "pending")
    url = _approval_url(order)
    action = {"type": "paypal_approval", "approval_url": url} if url and \
        status == "requires_action" else None
    return Outcome(order.get("id"), status, next_action=action)


def create_payment(charge) -> Outcome:
    """The PayPal order of the payment (once, by PayPal-Request-Id), waiting for the
    buyer's approval at its link. A retry of an attempt that got its order reads it:
    PayPal keeps a PayPal-Request-Id only 6 hours."""
    if getattr(charge, "gateway_payment_id", None):
        return order_outcome(get_order(charge.gateway_payment_id))
    body = OrderRequest(intent=CheckoutPaymentIntent.CAPTURE, purchase_units=[
        PurchaseUnitRequest(reference_id=str(charge.order_id or charge.invoice_id), custom_id=str(charge.id),
                            amount=AmountWithBreakdown(**_money(charge.amount, charge.currency)))])
    config = current_app.config
    if config.get("PAYPAL_RETURN_URL"):
        # Where PayPal sends the buyer back after approving (or cancelling) at the link;
        # PayPal then answers PAYER_ACTION_REQUIRED with a payer-action link.
        body.payment_source = PaymentSource(paypal=PaypalWallet(
            experience_context=PaypalWalletExperienceContext(
                return_url=_with_payment(config["PAYPAL_RETURN_URL"], charge.id),
                cancel_url=_with_payment(config.get("PAYPAL_CANCEL_URL")
                                         or config["PAYPAL_RETURN_URL"], charge.id),
                user_action="PAY_NOW", shipping_preference="NO_SHIPPING")))
    order = _calling(lambda: _client().orders.create_order({
        "body": body, "paypal_request_id": f"ngm-payment-{charge.id}",
        "prefer": "return=representation"}))
    return order_outcome(order)


def _with_payment(url: str, payment_id) -> str:
    """``{payment_id}`` in the configured URL becomes the payment's id, so the app knows
    which payment to capture when the buyer comes back."""
    return url.replace("{payment_id}", str(payment_id))


def capture(payment_id, gateway_payment_id: str) -> Outcome:
    """Capture the approved order (once, by PayPal-Request-Id). An order already
    captured answers with its capture (PayPal: ORDER_ALREADY_CAPTURED): read it."""
    try:
        order = _calling(lambda: _client().orders.capture_order({
            "id": gateway_payment_id, "paypal_request_id": f"ngm-capture-{payment_id}",
            "prefer": "return=representation"}))
    except Conflict as exc:
        issues = (exc.errors or {}).get("gateway") or []
        if "ORDER_ALREADY_CAPTURED" in issues:
            return order_outcome(get_order(gateway_payment_id))
        if "ORDER_NOT_APPROVED" in issues:
            raise Conflict("The buyer has not approved this PayPal payment yet: send them "
                           "to its approval_url first.", errors={"status": issues}) from None
        raise
    return order_outcome(order)


def cancel(payment_id, gateway_payment_id: str) -> Outcome:
    """PayPal cannot void an order of intent CAPTURE (only authorizations are voided), and
    no money moves until we capture it: cancelling is our decision never to capture it
    (``open_capture`` refuses a cancelled payment); PayPal lets the uncaptured order
    expire. The order is read first: one captured meanwhile (or whose capture is in
    flight) answers with its capture, never ``cancelled``. A capture racing this call
    that completes after it is still recorded: a cancelled payment may succeed
    (app.payments.rules)."""
    order = get_order(gateway_payment_id)
    outcome = order_outcome(order)
    if _captures(order) and outcome.status != "failed":
        return outcome  # captured, or its capture is pending: the money moves
    return Outcome(gateway_payment_id, "cancelled")


def get_order(gateway_payment_id: str) -> dict:
    return _calling(lambda: _client().orders.get_order({"id": gateway_payment_id}))


def card_details(gateway_payment_method_id: str):
    return None  # PayPal keeps its buyers' cards: nothing of them reaches us


def card_of_payment(gateway_payment_id: str):
    return None


def create_refund(refund, gateway_payment_id: str) -> Outcome:
    """Refund ``refund.amount`` of the order's capture (once, by PayPal-Request-Id)."""
    captures = _captures(get_order(gateway_payment_id))
    if not captures:
        raise Conflict("PayPal holds no capture for this payment.",
                       errors={"gateway_payment_id": [gateway_payment_id]})
    currency = captures[-1]["amount"]["currency_code"]
    body = RefundRequest(amount=Money(**_money(refund.amount, currency)),
                         custom_id=str(refund.id))
    found = _calling(lambda: _client().payments.refund_captured_payment({
        "capture_id": captures[-1]["id"], "body": body,
        "paypal_request_id": f"ngm-refund-{refund.id}", "prefer": "return=representation"}))
    return refund_outcome(found)


def refund_outcome(found: dict) -> Outcome:
    status = REFUND_STATUS.get(found.get("status"), "pending")
    reason = (found.get("status_details") or {}).get("reason")
    return Outcome(found.get("id"), status,
                   failure_code=(reason or "refund_failed") if status == "failed" else None)


def _access_token() -> str:
    """The SDK's OAuth token (fetched once and reused until it expires)."""
    auth = _client().oauth_2
    try:
        if not auth.is_valid():
            raise GatewayNotConfigured("PayPal refused our credentials: check "
                                       "PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET.")
    except requests.RequestException as exc:
        raise GatewayUnavailable("PayPal could not be reached to verify the webhook.",
                                 errors={"gateway": [str(exc)[:300]]}) from None
    return auth._o_auth_token.access_token  # the SDK keeps it there; no public getter


def _paypal_cert(url: str) -> bool:
    """PayPal's certificates are served over https from paypal.com (its advice)."""
    try:
        parsed = urlsplit(url)
    except ValueError:
        return False
    host = (parsed.hostname or "").lower()
    return parsed.scheme == "https" and (host == "paypal.com" or host.endswith(".paypal.com"))


def parse_webhook(payload: bytes, headers: Mapping[str, str]) -> dict:
    """The event, if PayPal's verify-webhook-signature API says SUCCESS for these
    transmission headers, this body and PAYPAL_WEBHOOK_ID (BadSignature, 400, otherwise);
    a verified body that is not an event is InvalidInput (422). What cannot be a PayPal
    transmission at all (not JSON, headers missing, another algorithm, a certificate
    not on paypal.com) is refused here without asking PayPal."""
    try:
        event = json.loads(payload)
    except ValueError:
        raise BadSignature("The body is not JSON.") from None
    if not isinstance(event, dict):
        raise BadSignature("The body is not a PayPal event.")
    values = {name: headers.get(name) for name in VERIFY_HEADERS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise BadSignature(f"Missing PayPal transmission headers: {', '.join(missing)}.")
    if values["PAYPAL-AUTH-ALGO"] not in AUTH_ALGORITHMS or not _paypal_cert(
            values["PAYPAL-CERT-URL"]):
        raise BadSignature("Not a PayPal transmission (algorithm or certificate URL).")
    require(*SETTINGS, "PAYPAL_WEBHOOK_ID")
    body = {"auth_algo": values["PAYPAL-AUTH-ALGO"], "cert_url": values["PAYPAL-CERT-URL"],
            "transmission_id": values["PAYPAL-TRANSMISSION-ID"],
            "transmission_sig": values["PAYPAL-TRANSMISSION-SIG"],
            "transmission_time": values["PAYPAL-TRANSMISSION-TIME"],
            "webhook_id": current_app.config["PAYPAL_WEBHOOK_ID"], "webhook_event": event}
    try:
        answer = requests.post(f"{_base()}/v1/notifications/verify-webhook-signature",
                               json=body, timeout=current_app.config["PAYPAL_TIMEOUT_SECONDS"],
                               headers={"Authorization": f"Bearer {_access_token()}"})
    except requests.RequestException as exc:
        raise GatewayUnavailable("PayPal could not be reached to verify the webhook; "
                                 "it will be sent again.",
                                 errors={"gateway": [str(exc)[:300]]}) from None
    if answer.status_code >= 500:
        raise GatewayFailed("PayPal failed to verify the webhook; it will be sent again.")
    status = answer.json().get("verification_status") if answer.ok else None
    if status != "SUCCESS":
        raise BadSignature(f"PayPal did not verify the signature ({status or answer.status_code}).")
    if not isinstance(event.get("id"), str) or not isinstance(event.get("event_type"), str) \
            or not event["id"]:
        raise InvalidInput("Not a PayPal event: no id or event_type.",
                           errors={"body": ["id and event_type are required"]})
    return {**event, "type": event["event_type"]}


def event_effect(event: dict) -> EventEffect:
    resource = event.get("resource") or {}
    related = ((resource.get("supplementary_data") or {}).get("related_ids")) or {}
    if event["type"] in CAPTURE_EVENTS:
        target = CAPTURE_EVENTS[event["type"]]
        outcome = Outcome(related.get("order_id"), target,
                          failure_code="capture_declined" if target == "failed" else None,
                          failure_message="PayPal declined the capture"
                          if target == "failed" else None)
        return EventEffect("payment", resource.get("custom_id"), related.get("order_id"),
                           target, outcome)
    if event["type"] in REFUND_EVENTS:
        return EventEffect("refund", resource.get("custom_id"), resource.get("id"), None,
                           refund_outcome(resource))
    return EventEffect(None)  # CHECKOUT.ORDER.APPROVED too: the app captures


def recent(since: datetime, open_payments: list) -> list[Remote]:
    """PayPal's Orders API cannot list orders: each of our PayPal payments of the window
    (``open_payments``: (our id, PayPal order id) pairs) is looked up, with its refunds."""
    found = []
    for payment_id, order_id in open_payments:
        try:
            order = get_order(order_id)
        except (InvalidInput, Conflict) as exc:  # gone at PayPal: one order, not the run
            log.warning("reconciliation: PayPal order %s of payment %s: %s", order_id,
                        payment_id, exc.message)
            continue
        outcome = order_outcome(order)
        captures = _captures(order)
        money = captures[-1].get("amount") if captures else \
            ((order.get("purchase_units") or [{}])[0].get("amount"))
        amount, currency = _minor(money)
        found.append(Remote("payment", order_id, str(payment_id), amount, currency,
                            outcome.status, outcome))
        for refund in _order_refunds(order):
            amount, currency = _minor(refund.get("amount"))
            found.append(Remote("refund", refund["id"], refund.get("custom_id"), amount,
                                currency, refund_outcome(refund).status,
                                refund_outcome(refund), order_id))
    return found
