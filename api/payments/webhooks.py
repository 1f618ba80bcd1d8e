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
