"""Bank transfers received and refund requests awaiting approval, as partners see them.
Amounts are integers in minor units of an ISO 4217 currency, never decimals."""
import marshmallow as ma

from api.payments.schemas import RefundLineSchema
from api.schemas import CursorPageSchema, PageArgsSchema, Schema
from app.payments.models import HOLD_REASONS, REQUEST_STATUSES, TRANSFER_STATUSES

MAX_AMOUNT = 10**15
_ID = "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
_INVOICE_ID = "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"
_AT = "2026-12-03T09:00:00+00:00"


def _d(description: str, example, **more) -> dict:
    return {"description": description, "example": example, **more}


class BankTransferCreateSchema(Schema):
    amount = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=MAX_AMOUNT),
        metadata=_d("Received, in minor units (cents for EUR): applied only when it equals "
                    "the open balance", 11900))
    currency = ma.fields.String(required=True, validate=ma.validate.Length(equal=3),
                                metadata=_d("ISO 4217 code of the money received", "EUR"))
    reference = ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=140),
        metadata=_d("What the payer wrote as the reference: the invoice number (as on the "
                    "invoice PDF) or the order id; case and spaces are ignored",
                    "INV-2026-000042"))
    value_date = ma.fields.Date(required=True, metadata=_d(
        "The bank's value date of the transfer", "2026-12-02"))
    payer_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                                  metadata=_d("The payer's name on the statement", "ACME GmbH"))
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=500),
                            metadata=_d("Free text for finance", "Statement line 17"))


class BankTransferSchema(Schema):
    id = ma.fields.UUID(metadata=_d("Bank transfer id (the same for every retry with one "
                                    "Idempotency-Key)", _ID))
    object = ma.fields.String(metadata=_d("Always `bank_transfer`", "bank_transfer"))
    amount = ma.fields.Integer(metadata=_d("Minor units of `currency`", 11900))
    currency = ma.fields.String(metadata=_d("ISO 4217 code", "EUR"))
    reference = ma.fields.String(metadata=_d("As the payer wrote it", "INV-2026-000042"))
    value_date = ma.fields.Date(metadata=_d("The bank's value date", "2026-12-02"))
    payer_name = ma.fields.String(metadata=_d("The payer's name", "ACME GmbH"))
    status = ma.fields.String(metadata=_d(
        "`applied` (paid what its reference names), `held` for finance's review (see "
        "`hold_reason`), or `returned` to the payer", "applied", enum=list(TRANSFER_STATUSES)))
    hold_reason = ma.fields.String(allow_none=True, metadata=_d(
        "Why it is held (never applied blindly): " + ", ".join(f"`{r}`" for r in HOLD_REASONS)
        + "; null unless held", None))
    hold_message = ma.fields.String(allow_none=True, metadata=_d(
        "Why it is held, in words", None))
    invoice_id = ma.fields.UUID(allow_none=True, metadata=_d(
        "The invoice its reference names (paid when applied)", _INVOICE_ID))
    order_id = ma.fields.UUID(allow_none=True, metadata=_d(
        "The order its reference names (paid when applied)", None))
    payment_id = ma.fields.UUID(allow_none=True, metadata=_d(
        "The bank_transfer payment of the order, once applied to an order", None))
    note = ma.fields.String(metadata=_d("Free text for finance", ""))
    created_at = ma.fields.AwareDateTime(metadata=_d("UTC", _AT))
    applied_at = ma.fields.AwareDateTime(allow_none=True, metadata=_d("UTC", _AT))
    returned_at = ma.fields.AwareDateTime(allow_none=True, metadata=_d("UTC", None))


class RefundRequestSchema(Schema):
    id = ma.fields.UUID(metadata=_d("Refund request id", _ID))
    object = ma.fields.String(metadata=_d("Always `refund_request`", "refund_request"))
    payment_id = ma.fields.UUID(metadata=_d("The payment to refund",
                                            "5b0f8e4e-3c9b-5d1e-9f53-0c6a1d2e7b10"))
    amount = ma.fields.Integer(metadata=_d("Minor units of `currency`", 75000))
    currency = ma.fields.String(metadata=_d("ISO 4217 code", "EUR"))
    reason = ma.fields.String(metadata=_d("Why, as given", "Order returned in full"))
    status = ma.fields.String(metadata=_d(
        "requested -> approved (the refund is made) | rejected, by a second staff member",
        "requested", enum=list(REQUEST_STATUSES)))
    refund_id = ma.fields.UUID(allow_none=True, metadata=_d(
        "The refund made on approval", None))
    pays_out_credit_note_id = ma.fields.UUID(allow_none=True, metadata=_d(
        "The held credit note the refund will pay out; null for a refund that issues its "
        "own", None))
    lines = ma.fields.List(ma.fields.Nested(RefundLineSchema), allow_none=True, metadata=_d(
        "The returned items to refund (lines of the paid invoice); null for an amount", None))
    created_at = ma.fields.AwareDateTime(metadata=_d("UTC", _AT))
    decided_at = ma.fields.AwareDateTime(allow_none=True, metadata=_d("UTC", None))


class BankTransferListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(BankTransferSchema), required=True,
                          metadata={"description": "Newest first"})


class BankTransferQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(TRANSFER_STATUSES), metadata=_d(
        "Only transfers in this status", "held", enum=list(TRANSFER_STATUSES)))
