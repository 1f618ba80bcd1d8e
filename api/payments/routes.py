"""Payments: customers pay and read their own orders' payments; partners by scope
(payments:read, payments:write); refunds by partners with payments:write (staff refund
from the back office through the same service)."""
from __future__ import annotations

from datetime import timedelta

import orjson
from flask import current_app, request
from flask.views import MethodView

from api import idempotency
from api.idempotency import json_response
from api.payments.schemas import (
    EXAMPLES, PaymentCreateSchema, PaymentListSchema, PaymentQueryArgsSchema, PaymentSchema,
    RefundCreateSchema, RefundSchema,
)
from api.examples import RESPONSE, body_example
from api.payments.serialize import payment_to_dict, refund_request_to_dict, refund_to_dict
from api.payments.transfer_schemas import RefundRequestSchema
from api.security import current_principal
from api.smorest import Blueprint
from app.core.errors import InvalidInput
from app.payments import approvals, cancellation, gateways, refunds, service as payments

blp = Blueprint("payments", __name__, url_prefix="/api/v1/payments", description="Payments")

READ, WRITE = ("payments:read",), ("payments:write",)


def _resume_after() -> timedelta:
    return timedelta(seconds=current_app.config["PAYMENT_RESUME_AFTER_SECONDS"])


def _gateway_errors(func):
    for status, description in (
            (502, "The gateway failed after its retries; retry with the same Idempotency-Key"),
            (503, "The method's gateway is not configured (the message names the missing "
                  "settings), or it is unreachable (nothing charged; retry with the same "
                  "Idempotency-Key)"),
            (422, "Not valid (the amount is more than the open balance or remains, the "
                  "currency differs, or the Idempotency-Key was reused with another body)"),
            (409, "Not in a state for this (paid, cancelled, refunded), or the same "
                  "Idempotency-Key is in flight"),
            (404, "No such order or payment (or not yours)")):
        func = blp.alt_response(status, response="DEFAULT_ERROR", description=description)(func)
    return func


@blp.route("")
class Payments(MethodView):
    @blp.auth(user=True, scopes=READ)
    @blp.arguments(PaymentQueryArgsSchema, location="query")
    @blp.response(200, PaymentListSchema, example=EXAMPLES["list"])
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Malformed cursor or filters")
    def get(self, args):
        """Newest first; follow `next_cursor` (keyset pages). Customers see their own
        payments; partners (payments:read) see all."""
        actor = current_principal().actor
        found, cursor = payments.list_payments(
            customer_id=actor.customer_scope, status=args.get("status"),
            order_id=args.get("order_id"), cursor=args.get("cursor"), limit=args["limit"])
        body = {"data": [payment_to_dict(p) for p in found], "has_more": cursor is not None,
                "next_cursor": cursor}
        return current_app.response_class(orjson.dumps(body), mimetype="application/json")

    @blp.auth(user=True, scopes=WRITE)
    @blp.arguments(PaymentCreateSchema, example=EXAMPLES["create"])
    @blp.idempotent
    @blp.response(201, PaymentSchema, example=EXAMPLES["payment"])
    @blp.alt_response(402, response="DEFAULT_ERROR", description="The card was declined "
                      "(recorded as a failed payment; never retried)")
    @_gateway_errors
    def post(self, data):
        """Pay the open balance of an order, or of an issued invoice that has no order
        (`invoice_id`). `card`: a Stripe PaymentIntent is created and its
        `client_secret` returned for Stripe.js to confirm (`requires_action`: 3-D Secure);
        the order (or invoice) is paid when Stripe reports success. With
        `payment_method_id` (a saved card) it is charged at once. `paypal`: a PayPal order is
        created and the payment answers `requires_action` with its `approval_url`; send
        the buyer there, then call `POST /payments/{id}/capture` when they come back.
        Send an Idempotency-Key: a retry returns the same payment and never charges twice."""
        principal = current_principal()
        actor = principal.actor
        payload = {**data, **{name: str(data[name]) if data[name] else None
                              for name in ("order_id", "invoice_id", "payment_method_id")}}
        if data["method"] not in gateways.FOR_METHOD:
            raise InvalidInput("Only card and PayPal payments are taken here.",
                               errors={"method": list(gateways.FOR_METHOD)})
        key = request.headers.get(idempotency.HEADER)
        payment_id = payments.payment_id_for(actor.ref, key)
        return idempotency.run_around_gateway(
            actor.ref, "payments.create", payload, resume_after=_resume_after(),
            prepare=lambda _: payments.open_payment(
                payment_id, order_id=data["order_id"], invoice_id=data["invoice_id"],
                amount=data["amount"], currency=data["currency"], method=data["method"],
                payment_method=data["payment_method"],
                payment_method_id=data["payment_method_id"], actor=actor),
            perform=lambda charge, resumable: payments.charge(charge, resumable=resumable),
            dump=lambda done: payment_to_dict(*done))


@blp.route("/<payment_id>")
class PaymentItem(MethodView):
    @blp.auth(user=True, scopes=READ)
    @blp.response(200, PaymentSchema, example={**EXAMPLES["payment"], "client_secret": None})
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such payment (or not yours)")
    def get(self, payment_id):
        """One payment with its refunds."""
        payment = payments.get_visible(payment_id, current_principal().actor)
        return json_response(payment_to_dict(payment), 200)


@blp.route("/<payment_id>/capture", methods=["POST"])
@blp.auth(user=True, scopes=WRITE)
@blp.idempotent
@blp.response(200, PaymentSchema, example=EXAMPLES["captured"])
@blp.alt_response(402, response="DEFAULT_ERROR", description="PayPal declined the capture "
                  "(recorded as a failed payment; the order stays payable)")
@_gateway_errors
def capture(payment_id):
    """Capture a PayPal payment after the buyer approved it at its `approval_url`: the
    money is collected, and the order and its invoice are paid in the same step (409
    while the buyer has not approved: an Idempotency-Key stores that answer too, so
    capture after approval with a new key). Capturing again answers the captured payment
    and never captures twice; PayPal's `PAYMENT.CAPTURE.COMPLETED` webhook reports the
    same and changes nothing."""
    actor = current_principal().actor
    return idempotency.run_around_gateway(
        actor.ref, f"payments.capture:{payment_id}", {}, resume_after=_resume_after(),
        prepare=lambda _: payments.open_capture(payment_id, actor),
        perform=lambda call, resumable: payments.capture(call),
        dump=payment_to_dict, status=200)


@blp.route("/<payment_id>/cancel", methods=["POST"])
@blp.auth(user=True, scopes=WRITE)
@blp.idempotent
@blp.response(200, PaymentSchema, example=EXAMPLES["cancelled"])
@_gateway_errors
def cancel(payment_id):
    """Cancel a `pending` or `requires_action` payment (the buyer abandoned 3-D Secure or
    the PayPal approval): it becomes `cancelled`, can take no money, and the order can be
    paid by a new payment. Card: the Stripe PaymentIntent is cancelled. PayPal: an order
    awaiting capture cannot be voided at PayPal; it is never captured by us and expires
    there. If the buyer completed the payment meanwhile, that success is recorded (the
    order is paid) and the answer is 409 naming the payment; a payment not yet known at
    its gateway (its creation failed in flight) is 409: retry the creation with its
    Idempotency-Key first. Cancelling again answers the cancelled payment."""
    actor = current_principal().actor
    return idempotency.run_around_gateway(
        actor.ref, f"payments.cancel:{payment_id}", {}, resume_after=_resume_after(),
        prepare=lambda _: cancellation.open_cancel(payment_id, actor),
        perform=lambda call, resumable: cancellation.cancel(call),
        dump=payment_to_dict, status=200)


@blp.route("/<payment_id>/refunds", methods=["POST"])
@blp.auth(scopes=WRITE)
@blp.arguments(RefundCreateSchema, example=EXAMPLES["refund_create"])
@blp.idempotent
@blp.response(201, RefundSchema, example=EXAMPLES["refund"])
@blp.alt_response(202, schema=RefundRequestSchema, example=body_example(
    RefundRequestSchema(), RESPONSE), headers={idempotency.REPLAYED: idempotency.REPLAYED_DOC},
    description="Above REFUND_APPROVAL_THRESHOLD: nothing "
    "refunded yet; a refund request waits for a staff member's approval (poll "
    "GET /api/v1/payments/refund-requests/{id})")
@_gateway_errors
def refund(data, payment_id):
    """Refund a succeeded payment in part or in full, never more than what remains. Each
    succeeded refund issues a credit note for exactly its amount; the last one marks the
    payment and its order refunded. When the payment's refunds (done, in flight and this
    one) would exceed REFUND_APPROVAL_THRESHOLD for its currency, the answer is 202 with
    a refund request (a `reason` is then required) that a staff member approves or
    rejects in the back office. With `lines` (returned items: lines and quantities of the
    invoice the payment paid), the refund is what those units have left to credit and its
    credit note credits those lines. With `credit_note_id`, the refund pays out a credit note
    the customer holds (issued on the invoice this payment paid, apart from any refund):
    for exactly its amount, and no second credit note is issued. Send an Idempotency-Key
    to retry safely."""
    actor = current_principal().actor
    key = request.headers.get(idempotency.HEADER)
    payment = payments.get(payment_id)
    note_id, lines = data["credit_note_id"], data["lines"]
    if approvals.needs_approval(payment, approvals.wanted_amount(payment, data["amount"],
                                                                 note_id, lines)):
        return idempotency.run(
            actor.ref, f"payments.refund:{payment_id}", data,
            lambda: approvals.request(payment.id, amount=data["amount"], reason=data["reason"],
                                      actor=actor, credit_note_id=note_id, lines=lines),
            refund_request_to_dict, status=202)
    refund_id = refunds.refund_id_for(payment_id, actor.ref, key)
    return idempotency.run_around_gateway(
        actor.ref, f"payments.refund:{payment_id}", data, resume_after=_resume_after(),
        prepare=lambda _: refunds.open(refund_id, payment_id, amount=data["amount"],
                                       reason=data["reason"], actor=actor,
                                       credit_note_id=note_id, lines=lines),
        perform=lambda call, resumable: refunds.execute(call, resumable=resumable),
        dump=refund_to_dict)


@blp.route("/refund-requests/<request_id>")
class RefundRequestItem(MethodView):
    @blp.auth(scopes=READ)
    @blp.response(200, RefundRequestSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such refund request")
    def get(self, request_id):
        """A refund request: `requested` until a staff member decides; once `approved`,
        `refund_id` names the refund made."""
        return json_response(refund_request_to_dict(approvals.get(request_id)), 200)
