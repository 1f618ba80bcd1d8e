"""The signed-in customer's saved cards: validate one (a SetupIntent confirmed by the
app), save it, list them masked, remove one. Charging one is `POST /payments` with
`payment_method_id`. The rules are in app.payments.methods."""
from __future__ import annotations

import uuid
from datetime import timedelta

import orjson
from flask import current_app, request
from flask.views import MethodView

from api import http_cache, idempotency
from api.payments.method_schemas import (
    SavedPaymentMethodCreateSchema, SavedPaymentMethodListSchema, SavedPaymentMethodQueryArgsSchema,
    SavedPaymentMethodSchema, SetupIntentSchema,
)
from api.payments.serialize import payment_method_to_dict
from api.security import current_principal
from api.smorest import Blueprint
from app.payments import methods

blp = Blueprint("payment_methods", __name__, url_prefix="/api/v1/customers",
                description="The signed-in customer's saved cards (masked) and card "
                            "validation by SetupIntent")

NAMESPACE = uuid.UUID("5a3e7d21-9b4c-5e8f-a1d2-3c4b5a6f7e80")


def _resume_after() -> timedelta:
    return timedelta(seconds=current_app.config["PAYMENT_RESUME_AFTER_SECONDS"])


def _errors(func):
    for status, description in (
            (503, "Card payments are not configured (the message names the setting), or "
                  "Stripe is unreachable: retry"),
            (502, "Stripe failed after its retries: retry")):
        func = blp.alt_response(status, response="DEFAULT_ERROR", description=description)(func)
    return func


TAGS = ["payment_methods"]  # one resource, the saved cards, under /customers/me


@blp.route("/me/setup-intents", methods=["POST"], tags=TAGS)
@blp.auth(user=True)
@blp.idempotent
@blp.response(201, SetupIntentSchema)
@_errors
def create_setup_intent():
    """Start saving a card: a Stripe SetupIntent for the customer (their Stripe Customer
    is created the first time). Confirm it in the app with Stripe.js and its
    `client_secret` (3-D Secure included), then save the PaymentMethod it names."""
    actor = current_principal().actor
    key = request.headers.get(idempotency.HEADER)
    setup_id = uuid.uuid5(NAMESPACE, f"{actor.ref}\n{key}") if key else uuid.uuid4()
    return idempotency.run_around_gateway(
        actor.ref, "payment_methods.setup", {}, resume_after=_resume_after(),
        prepare=lambda _: methods.open_setup(actor, setup_id),
        perform=lambda call, resumable: methods.setup(call),
        dump=lambda found: {"id": found["id"], "object": "setup_intent",
                            "client_secret": found["client_secret"],
                            "status": found["status"]})


@blp.route("/me/payment-methods", tags=TAGS)
class PaymentMethods(MethodView):
    @blp.auth(user=True)
    @blp.arguments(SavedPaymentMethodQueryArgsSchema, location="query")
    @blp.response(200, SavedPaymentMethodListSchema)
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Malformed cursor")
    def get(self, args):
        """The customer's saved cards, masked, newest first (keyset pages: follow
        `next_cursor`)."""
        found, cursor = methods.list_methods(current_principal().actor.customer_scope,
                                             cursor=args.get("cursor"), limit=args["limit"])
        body = {"data": [payment_method_to_dict(m) for m in found],
                "has_more": cursor is not None, "next_cursor": cursor}
        return http_cache.conditional(
            http_cache.etag_of_rows([[(m.id, m.created_at) for m in found], cursor]),
            lambda: orjson.dumps(body))

    @blp.auth(user=True)
    @blp.arguments(SavedPaymentMethodCreateSchema)
    @blp.idempotent
    @blp.response(201, SavedPaymentMethodSchema)
    @blp.alt_response(402, response="DEFAULT_ERROR", description="Stripe declined the card")
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Not a card Stripe holds "
                      "for this customer (unknown, another customer's, or removed)")
    @_errors
    def post(self, data):
        """Save the card a confirmed SetupIntent validated: read back from Stripe (never
        trusted from the app), attached to the customer, kept masked. Saving it again
        answers the saved card."""
        actor = current_principal().actor
        return idempotency.run_around_gateway(
            actor.ref, "payment_methods.save", data, resume_after=_resume_after(),
            prepare=lambda _: methods.open_save(data["payment_method"], actor),
            perform=lambda call, resumable: methods.save(call),
            dump=payment_method_to_dict)


@blp.route("/me/payment-methods/<payment_method_id>", tags=TAGS)
class PaymentMethodItem(MethodView):
    @blp.auth(user=True)
    @blp.response(204)
    @blp.alt_response(404, response="DEFAULT_ERROR",
                      description="No such saved card (or not yours, or removed)")
    @_errors
    def delete(self, payment_method_id):
        """Remove a saved card: detached at Stripe, it can never be charged again."""
        actor = current_principal().actor
        answer = idempotency.run_around_gateway(
            actor.ref, f"payment_methods.remove:{payment_method_id}", {},
            resume_after=_resume_after(),
            prepare=lambda _: methods.open_remove(payment_method_id, actor),
            perform=lambda call, resumable: methods.remove(call),
            dump=lambda _: {}, status=204)
        if answer.status_code == 204:
            answer.set_data(b"")
            answer.headers.pop("Content-Type", None)
        return answer
