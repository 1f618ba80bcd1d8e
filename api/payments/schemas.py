"""Payments and refunds as partners and apps see them: amounts are integers in minor
units of an ISO 4217 currency (as Stripe does), never decimals."""
import marshmallow as ma

from api.schemas import CursorPageSchema, PageArgsSchema, Schema
from app.payments.models import METHODS, REFUND_STATUSES, STATUSES

MAX_AMOUNT = 10**15
PAYMENT_ID = "5b0f8e4e-3c9b-5d1e-9f53-0c6a1d2e7b10"
ORDER_ID = "0b7e7f4a-2f0c-4d8e-9a51-3c2b1d0e9f87"


def _amount(description: str, **kwargs):
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=MAX_AMOUNT),
                             metadata={"description": description}, **kwargs)


class PaymentCreateSchema(Schema):
    order_id = ma.fields.UUID(load_default=None, metadata={
        "description": "The order to pay (or `invoice_id`, not both)"})
    invoice_id = ma.fields.UUID(load_default=None, metadata={
        "description": "An issued invoice that has no order (a manual invoice) to pay, "
                       "instead of `order_id`; an order's invoice is paid with its order"})
    amount = _amount("Minor units (cents for EUR, yen for JPY): must equal the open balance "
                     "of the order or invoice", required=True)
    currency = ma.fields.String(required=True, validate=ma.validate.Length(equal=3),
                                metadata={"description": "ISO 4217 code, the currency of the "
                                                         "order or invoice"})
    method = ma.fields.String(load_default="card", validate=ma.validate.OneOf(METHODS),
                              metadata={"description": "`card` (Stripe) or `paypal` (answers "
                                                       "`approval_url`); the others are not "
                                                       "taken through this endpoint",
                                        "example": "paypal"})
    payment_method = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(min=3, max=255),
        metadata={"description": "Optional Stripe PaymentMethod id (pm_...) from Stripe.js: "
                                 "the payment is confirmed at once (3-D Secure may follow)"})
    payment_method_id = ma.fields.UUID(load_default=None, metadata={
        "description": "A saved card of the payer (`GET /customers/me/payment-methods`), "
                       "method `card`: charged at once from the server (3-D Secure may "
                       "follow as `requires_action`; a partner charges off session)"})


class RefundLineSchema(Schema):
    line_id = ma.fields.UUID(required=True, metadata={
        "description": "A line of the invoice the payment paid (`GET /invoices/{id}`)"})
    quantity = ma.fields.Integer(required=True, strict=True, metadata={
        "description": "Units returned, at most those not yet credited or being refunded",
        "example": 1})


class RefundedLineSchema(RefundLineSchema):
    net_amount = ma.fields.Integer(metadata={"description": "Net refunded on this line, minor "
                                                            "units"})
    tax_amount = ma.fields.Integer(metadata={"description": "Tax refunded on this line, minor "
                                                            "units"})


class RefundCreateSchema(Schema):
    amount = _amount("Minor units of the payment's currency; omitted: all that remains "
                     "(or, with `lines`, what those units come to)",
                     load_default=None, allow_none=True)
    lines = ma.fields.List(ma.fields.Nested(RefundLineSchema), load_default=None,
                           validate=ma.validate.Length(min=1, max=500), metadata={
                               "description": "Returned items instead of an amount: lines "
                                              "and quantities of the invoice this payment "
                                              "paid. The refund is what those units have "
                                              "left to credit, and its credit note credits "
                                              "those lines"})
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=500),
                              metadata={"description": "Why; printed on the credit note"})
    credit_note_id = ma.fields.UUID(load_default=None, metadata={
        "description": "Pay out this credit note, one the customer holds as a credit "
                       "(issued on the invoice this payment paid, by no refund): the refund "
                       "is for its amount (`amount` omitted or equal) and issues no credit "
                       "note of its own"})


class RefundSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "Refund id"})
    object = ma.fields.String(metadata={"description": "Always `refund`"})
    payment_id = ma.fields.UUID(metadata={"description": "The payment refunded"})
    amount = ma.fields.Integer(metadata={"description": "Minor units of `currency`"})
    currency = ma.fields.String(metadata={"description": "ISO 4217 code"})
    status = ma.fields.String(metadata={"enum": list(REFUND_STATUSES),
                                        "description": "pending -> succeeded | failed"})
    reason = ma.fields.String(metadata={"description": "Why, as given"})
    gateway_refund_id = ma.fields.String(allow_none=True, metadata={
        "description": "The gateway's refund id (Stripe re_...)"})
    credit_note_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The credit note for exactly this amount, once succeeded: the one "
                       "it issued, or the one it pays out"})
    pays_out_credit_note_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The held credit note this refund pays out (it issues none); null "
                       "for a refund that issues its own"})
    lines = ma.fields.List(ma.fields.Nested(RefundedLineSchema), allow_none=True, metadata={
        "description": "The returned items it refunds (its credit note credits these "
                       "lines); null for a refund of an amount"})
    failure_code = ma.fields.String(allow_none=True, metadata={"description": "Why it failed"})
    failure_message = ma.fields.String(allow_none=True, metadata={
        "description": "Why it failed, in words"})
    created_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    updated_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})


class PaymentSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "Payment id (the same for every retry "
                                                 "with one Idempotency-Key)"})
    object = ma.fields.String(metadata={"description": "Always `payment`"})
    order_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The order paid; null when it pays an invoice that has no order"})
    invoice_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The invoice paid: an order's (equal to the order) once succeeded, "
                       "or from the start the invoice without an order it pays"})
    customer_id = ma.fields.UUID(metadata={"description": "Whose order it is"})
    method = ma.fields.String(metadata={"enum": list(METHODS), "description": "How it is paid"})
    gateway = ma.fields.String(metadata={
        "description": "Which gateway holds it (`stripe`, `paypal`; `bank` for a bank transfer)"})
    status = ma.fields.String(metadata={
        "enum": list(STATUSES),
        "description": "pending -> requires_action -> succeeded | failed | cancelled; "
                       "succeeded -> refunded once every minor unit went back"})
    amount = ma.fields.Integer(metadata={"description": "Minor units of `currency`"})
    currency = ma.fields.String(metadata={"description": "ISO 4217 code"})
    amount_refunded = ma.fields.Integer(metadata={"description": "Refunded so far, minor units"})
    amount_refundable = ma.fields.Integer(metadata={
        "description": "Still refundable, minor units (refunds in flight excluded)"})
    gateway_payment_id = ma.fields.String(allow_none=True, metadata={
        "description": "The gateway's id (Stripe PaymentIntent pi_..., PayPal order id)"})
    payment_method_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The saved card charged, if one was"})
    client_secret = ma.fields.String(allow_none=True, metadata={
        "description": "In the creation answer only: what Stripe.js confirms the payment "
                       "with (handle 3-D Secure); null elsewhere"})
    next_action = ma.fields.Dict(allow_none=True, metadata={
        "description": "When `requires_action`: what the app must do (Stripe's next_action; "
                       "PayPal: `{type: paypal_approval, approval_url}`)"})
    approval_url = ma.fields.String(allow_none=True, metadata={
        "description": "PayPal, while `requires_action`: where to send the buyer to approve; "
                       "then call `POST /payments/{id}/capture`. Null otherwise",
        "example": "https://www.paypal.com/checkoutnow?token=5O190127TN364715T"})
    failure_code = ma.fields.String(allow_none=True, metadata={
        "description": "Why it failed (decline code, or gateway_unavailable while pending)"})
    failure_message = ma.fields.String(allow_none=True, metadata={
        "description": "Why it failed, in words"})
    refunds = ma.fields.List(ma.fields.Nested(RefundSchema), metadata={
        "description": "Its refunds, oldest first"})
    created_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    updated_at = ma.fields.AwareDateTime(metadata={"description": "UTC"})
    succeeded_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "UTC"})


class PaymentListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(PaymentSchema), required=True,
                          metadata={"description": "Newest first"})


class PaymentQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES),
                              metadata={"description": "Only payments in this status"})
    order_id = ma.fields.UUID(metadata={"description": "Only payments of this order"})


class WebhookAckSchema(Schema):
    received = ma.fields.Boolean(metadata={"description": "Always true: stored for processing"})
    duplicate = ma.fields.Boolean(metadata={
        "description": "This event id was received before (nothing new stored)"})


_REFUND_EXAMPLE = {
    "id": "9d2c4b7a-1e3f-5a6b-8c9d-0e1f2a3b4c5d", "object": "refund", "payment_id": PAYMENT_ID,
    "amount": 500, "currency": "EUR", "status": "succeeded", "reason": "Damaged item",
    "gateway_refund_id": "re_1Nq2Xy", "credit_note_id": "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7",
    "pays_out_credit_note_id": None, "lines": None, "failure_code": None, "failure_message": None,
    "created_at": "2026-12-03T09:00:00+00:00", "updated_at": "2026-12-03T09:00:01+00:00"}

EXAMPLES = {
    "create": {"order_id": ORDER_ID, "amount": 11900, "currency": "EUR", "method": "card"},
    "payment": {
        "id": PAYMENT_ID, "object": "payment", "order_id": ORDER_ID, "invoice_id": None,
        "customer_id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "method": "card",
        "gateway": "stripe", "status": "pending", "amount": 11900, "currency": "EUR",
        "amount_refunded": 0, "amount_refundable": 11900,
        "gateway_payment_id": "pi_3Nq2XyAbC", "payment_method_id": None,
        "client_secret": "pi_3Nq2XyAbC_secret_k9s8",
        "next_action": None, "failure_code": None, "failure_message": None, "refunds": [],
        "created_at": "2026-12-03T08:59:00+00:00", "updated_at": "2026-12-03T08:59:01+00:00",
        "succeeded_at": None},
    "refund_create": {"amount": 500, "reason": "Damaged item"},
    "refund": _REFUND_EXAMPLE,
    "ack": {"received": True, "duplicate": False},
}
EXAMPLES["payment"]["approval_url"] = None
EXAMPLES["paypal_payment"] = {
    **EXAMPLES["payment"], "method": "paypal", "gateway": "paypal", "status": "requires_action",
    "gateway_payment_id": "5O190127TN364715T", "client_secret": None,
    "next_action": {"type": "paypal_approval",
                    "approval_url": "https://www.paypal.com/checkoutnow?token=5O190127TN364715T"},
    "approval_url": "https://www.paypal.com/checkoutnow?token=5O190127TN364715T"}
EXAMPLES["captured"] = {
    **EXAMPLES["paypal_payment"], "status": "succeeded", "next_action": None,
    "approval_url": None, "invoice_id": "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b8",
    "succeeded_at": "2026-12-03T09:01:00+00:00"}
EXAMPLES["cancelled"] = {**EXAMPLES["payment"], "status": "cancelled", "client_secret": None,
                         "next_action": None}
EXAMPLES["list"] = {"data": [{**EXAMPLES["payment"], "client_secret": None}],
                    "has_more": False, "next_cursor": None}
