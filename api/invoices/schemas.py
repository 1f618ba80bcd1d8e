import marshmallow as ma

from api.orders.schemas import AddressSchema
from api.schemas import Schema, rate_field

STATUSES = ["draft", "finalised", "sent", "paid", "credited", "cancelled"]


class BuyerSchema(Schema):
    name = ma.fields.String(required=True)
    email = ma.fields.String(allow_none=True)
    address = ma.fields.Nested(AddressSchema, required=True)
    tax_id = ma.fields.String(allow_none=True, metadata={"description": "VAT id, e.g. FR12345678901"})
    is_business = ma.fields.Boolean(load_default=False)


class InvoiceCreateSchema(Schema):
    currency = ma.fields.String(required=True, metadata={"description": "ISO 4217"})
    buyer = ma.fields.Nested(BuyerSchema, required=True)
    customer_id = ma.fields.UUID(allow_none=True)
    tax_inclusive = ma.fields.Boolean(load_default=False)
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class LineCreateSchema(Schema):
    description = ma.fields.String(load_default="")
    quantity = ma.fields.Integer(required=True, strict=True)
    unit_amount = ma.fields.Integer(strict=True, allow_none=True,
                                    metadata={"description": "Minor units; default: the product's price"})
    tax_category = ma.fields.String(allow_none=True,
                                    metadata={"enum": ["standard", "reduced", "zero", "exempt"]})
    product_id = ma.fields.UUID(allow_none=True)


class InvoiceLineSchema(Schema):
    id = ma.fields.UUID()
    position = ma.fields.Integer()
    description = ma.fields.String()
    sku = ma.fields.String(allow_none=True)
    product_id = ma.fields.UUID(allow_none=True)
    quantity = ma.fields.Integer()
    unit_amount = ma.fields.Integer()
    tax_category = ma.fields.String()
    tax_rate = rate_field("The rate applied, a fraction with six decimals: 0.190000 is 19 %")
    net_amount = ma.fields.Integer()
    tax_amount = ma.fields.Integer()
    gross_amount = ma.fields.Integer()
    credits_line_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "On a credit note: the line of the invoice it credits"})


class InvoiceSchema(Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"enum": ["invoice", "credit_note"]})
    series = ma.fields.String()
    number = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": STATUSES})
    customer_id = ma.fields.UUID(allow_none=True)
    order_id = ma.fields.UUID(allow_none=True)
    credit_note_for_id = ma.fields.UUID(allow_none=True)
    currency = ma.fields.String()
    tax_inclusive = ma.fields.Boolean()
    reverse_charge = ma.fields.Boolean()
    buyer = ma.fields.Dict()
    notes = ma.fields.String()
    subtotal_amount = ma.fields.Integer()
    tax_amount = ma.fields.Integer()
    total_amount = ma.fields.Integer()
    amount_paid = ma.fields.Integer(metadata={"description": "Received, minor units"})
    amount_credited = ma.fields.Integer(metadata={
        "description": "Sum of its credit notes, minor units (never above the total)"})
    amount_due = ma.fields.Integer(metadata={
        "description": "Still to pay: total - paid - credited while open, else 0"})
    payment_reference = ma.fields.String(allow_none=True)
    issue_date = ma.fields.Date(allow_none=True)
    tax_date = ma.fields.Date(allow_none=True)
    due_date = ma.fields.Date(allow_none=True)
    pdf_status = ma.fields.String(metadata={"enum": ["none", "pending", "ready", "failed"]})
    lines = ma.fields.List(ma.fields.Nested(InvoiceLineSchema))
    created_at = ma.fields.AwareDateTime()
    finalised_at = ma.fields.AwareDateTime(allow_none=True)
    sent_at = ma.fields.AwareDateTime(allow_none=True)
    paid_at = ma.fields.AwareDateTime(allow_none=True)
    cancelled_at = ma.fields.AwareDateTime(allow_none=True)


class InvoiceListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(InvoiceSchema), required=True)
    has_more = ma.fields.Boolean(required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class InvoiceQueryArgsSchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    series = ma.fields.String(validate=ma.validate.OneOf(["INV", "CN"]))
    cursor = ma.fields.String(validate=ma.validate.Length(max=200))
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class CreditLineSchema(Schema):
    line_id = ma.fields.UUID(required=True)
    quantity = ma.fields.Integer(required=True, strict=True,
                                 metadata={"description": "Units returned, at most those not yet credited"})


class CreditNoteSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    lines = ma.fields.List(ma.fields.Nested(CreditLineSchema), validate=ma.validate.Length(min=1),
                           metadata={"description": "Credit these lines and quantities"})
    amount = ma.fields.Integer(strict=True, metadata={
        "description": "Or credit this gross amount (minor units), spread over the lines "
                       "in proportion; neither: the whole remaining amount"})


class MarkPaidSchema(Schema):
    reference = ma.fields.String(load_default=None, allow_none=True,
                                 validate=ma.validate.Length(max=100),
                                 metadata={"description": "The bank transfer's reference"})
