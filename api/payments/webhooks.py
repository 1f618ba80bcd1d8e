"""Inbound gateway webhooks: verified by signature (no credentials), stored once,
acknowledged at once; a job applies them."""
from __future__ import annotations

from flask import request

from api.idempotency import json_response
from api.payments.schemas import EXAMPLES, WebhookAckSchema
from api.smorest import Blueprint
from app.payments import webhooks

blp = Blueprint("gateway_webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Inbound webhooks from payment gateways")

_STRIPE_EVENT = {
    "type": "object", "required": ["id", "type", "data"],
    "description": "A Stripe event, as Stripe sends it (verified against the raw body)",
    "properties": {
        "id": {"type": "string", "description": "Stripe's event id (evt_...): stored once"},
        "type": {"type": "string", "description": "e.g. payment_intent.succeeded"},
        "data": {"type": "object", "description": "`object`: the PaymentIntent or Refund"},
    },
}
_STRIPE_EXAMPLE = {"id": "evt_1Nq2Xy", "object": "event", "type": "payment_intent.succeeded",
                "created": 1764752400, "data": {"object": {
                    "id": "pi_3Nq2XyAbC", "object": "payment_intent", "amount": 11900,
                    "currency": "eur", "status": "succeeded",
                    "metadata": {"payment_id": "5b0f8e4e-3c9b-5d1e-9f53-0c6a1d2e7b10"}}}}
_SIGNATURE = {"name": "Stripe-Signature", "in": "header", "required": True,
              "description": "t=<unix time>,v1=<HMAC-SHA256 of 't.body' with the endpoint "
                             "secret>; refused outside the tolerance window",
              "schema": {"type": "string", "maxLength": 2000}}


@blp.route("/stripe", methods=["POST"], tags=["gateway_webhooks"])  # not the outbound ones
@blp.doc(parameters=[_SIGNATURE], requestBody={
    "required": True, "content": {"application/json": {"schema": _STRIPE_EVENT,
                                                       "example": _STRIPE_EXAMPLE}}})
@blp.response(200, WebhookAckSchema, example=EXAMPLES["ack"])
@blp.alt_response(400, response="DEFAULT_ERROR",
                  description="Bad or stale signature, or not JSON: nothing stored")
@blp.alt_response(422, response="DEFAULT_ERROR",
                  description="Signed, but not a Stripe event (no id or type): nothing stored")
@blp.alt_response(503, response="DEFAULT_ERROR",
                  description="STRIPE_WEBHOOK_SECRET is not configured")
def receive_stripe_webhook():
    """Stripe's events (payment_intent.*, refund.*): each stored once by its id and
    applied by a job; events arriving late, twice or out of order only move state
    forward. Unknown types are acknowledged and ignored."""
    _, new = webhooks.receive_stripe(request.get_data(cache=False),
                                     request.headers.get("Stripe-Signature"))
    return json_response({"received": True, "duplicate": not new}, 200)


_PAYPAL_EVENT = {
    "type": "object", "required": ["id", "event_type", "resource"],
    "description": "A PayPal webhook event, as PayPal sends it (verified by PayPal's "
                   "verify-webhook-signature API with the transmission headers)",
    "properties": {
        "id": {"type": "string", "description": "PayPal's event id (WH-...): stored once"},
        "event_type": {"type": "string", "description": "e.g. PAYMENT.CAPTURE.COMPLETED"},
        "resource": {"type": "object", "description": "The capture or refund"},
    },
}
_PAYPAL_EXAMPLE = {
    "id": "WH-58D329510W468432D-8HN650336L201105X", "event_version": "1.0",
    "create_time": "2026-12-03T09:01:00Z", "resource_type": "capture",
    "event_type": "PAYMENT.CAPTURE.COMPLETED", "summary": "Payment completed",
    "resource": {"id": "2GG279541U471931P", "status": "COMPLETED",
                 "amount": {"currency_code": "EUR", "value": "119.00"},
                 "custom_id": "5b0f8e4e-3c9b-5d1e-9f53-0c6a1d2e7b10",
                 "supplementary_data": {"related_ids": {"order_id": "5O190127TN364715T"}}}}
_TRANSMISSION = [
    {"name": name, "in": "header", "required": True, "description": description,
     "schema": {"type": "string", "maxLength": 2000}}
    for name, description in (
        ("PAYPAL-TRANSMISSION-ID", "PayPal's transmission id"),
        ("PAYPAL-TRANSMISSION-TIME", "When PayPal sent it (ISO 8601)"),
        ("PAYPAL-TRANSMISSION-SIG", "PayPal's signature of the transmission"),
        ("PAYPAL-CERT-URL", "PayPal's certificate for the signature"),
        ("PAYPAL-AUTH-ALGO", "The signature algorithm (SHA256withRSA)"))]


@blp.route("/paypal", methods=["POST"], tags=["gateway_webhooks"])
@blp.doc(parameters=_TRANSMISSION, requestBody={
    "required": True, "content": {"application/json": {"schema": _PAYPAL_EVENT,
                                                       "example": _PAYPAL_EXAMPLE}}})
@blp.response(200, WebhookAckSchema, example=EXAMPLES["ack"])
@blp.alt_response(400, response="DEFAULT_ERROR",
                  description="PayPal did not verify it, or not JSON: nothing stored")
@blp.alt_response(422, response="DEFAULT_ERROR",
                  description="Verified, but not a PayPal event (no id or event_type)")
@blp.alt_response(503, response="DEFAULT_ERROR",
                  description="PayPal is not configured (PAYPAL_CLIENT_ID, "
                              "PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID), or it could not "
                              "verify now (PayPal sends it again)")
def receive_paypal_webhook():
    """PayPal's events (PAYMENT.CAPTURE.*, PAYMENT.CAPTURE.REFUNDED): each verified by
    PayPal, stored once by its id and applied by a job; events arriving late, twice or
    out of order only move state forward. Unknown types (CHECKOUT.ORDER.APPROVED too:
    the app captures) are acknowledged and ignored."""
    _, new = webhooks.receive("paypal", request.get_data(cache=False), request.headers)
    return json_response({"received": True, "duplicate": not new}, 200)
