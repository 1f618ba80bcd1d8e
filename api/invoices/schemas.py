import marshmallow as ma

from api.orders.schemas import AddressSchema
from api.schemas import Schema

STATUSES = ["draft", "finalised", "sent", "paid", "cancelled"]


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
    tax_rate = ma.fields.Decimal(as_string=True, metadata={"description": "Fraction, e.g. 0.1900"})
    net_amount = ma.fields.Integer()
    tax_amount = ma.fields.Integer()
    gross_amount = ma.fields.Integer()


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
    issue_date = ma.fields.Date(allow_none=True)
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


class CreditNoteSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
