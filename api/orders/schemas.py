import marshmallow as ma

from api.schemas import Schema


class AddressSchema(Schema):
    name = ma.fields.String(required=True)
    line1 = ma.fields.String(required=True)
    line2 = ma.fields.String(allow_none=True)
    city = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)
    postal_code = ma.fields.String(required=True)
    country = ma.fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})


class OrderLineCreateSchema(Schema):
    product_id = ma.fields.UUID(required=True)
    quantity = ma.fields.Integer(required=True, strict=True,
                                 metadata={"description": "1 to 1000"})


class OrderCreateSchema(Schema):
    lines = ma.fields.List(ma.fields.Nested(OrderLineCreateSchema), required=True,
                           metadata={"description": "1 to 100 lines; prices come from the catalogue"})
    shipping_address = ma.fields.Nested(AddressSchema, required=True)
    billing_address = ma.fields.Nested(AddressSchema, allow_none=True)


class OrderLineSchema(Schema):
    product_id = ma.fields.UUID()
    sku = ma.fields.String()
    name = ma.fields.String()
    tax_category = ma.fields.String()
    unit_price_amount = ma.fields.Integer(metadata={"description": "Minor units"})
    quantity = ma.fields.Integer()
    line_total_amount = ma.fields.Integer(metadata={"description": "Quantity x unit price, minor units"})
    tax_rate = ma.fields.Decimal(as_string=True, metadata={
        "description": "The rate applied, a fraction with six decimals: 0.190000 is 19 %"})
    net_amount = ma.fields.Integer(metadata={"description": "Without tax, minor units"})
    tax_amount = ma.fields.Integer(metadata={"description": "Tax of the line (rounded half up), minor units"})
    gross_amount = ma.fields.Integer(metadata={"description": "With tax, minor units"})


class TaxBreakdownSchema(Schema):
    treatment = ma.fields.String(metadata={
        "enum": ["taxable", "zero_rated", "exempt", "reverse_charge"]})
    rate = ma.fields.String(metadata={"description": "A fraction with six decimals"})
    net_amount = ma.fields.Integer(metadata={"description": "Minor units"})
    tax_amount = ma.fields.Integer(metadata={"description": "Minor units"})


class OrderSchema(Schema):
    id = ma.fields.UUID()
    customer_id = ma.fields.UUID()
    status = ma.fields.String(metadata={"enum": ["pending_payment", "paid", "fulfilled", "cancelled", "refunded"]})
    currency = ma.fields.String()
    tax_inclusive = ma.fields.Boolean(metadata={"description": "Whether unit prices include tax"})
    subtotal_amount = ma.fields.Integer(metadata={"description": "Sum of line nets, minor units"})
    tax_amount = ma.fields.Integer(metadata={"description": "Sum of line taxes, minor units"})
    total_amount = ma.fields.Integer(metadata={
        "description": "What the customer is charged: subtotal + tax, minor units"})
    tax_breakdown = ma.fields.List(ma.fields.Nested(TaxBreakdownSchema))
    tax_date = ma.fields.Date(allow_none=True, metadata={
        "description": "The supply date whose rates apply (the seller's calendar day)"})
    country = ma.fields.String()
    shipping_address = ma.fields.Nested(AddressSchema)
    billing_address = ma.fields.Nested(AddressSchema)
    lines = ma.fields.List(ma.fields.Nested(OrderLineSchema))
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    paid_at = ma.fields.AwareDateTime(allow_none=True)
    fulfilled_at = ma.fields.AwareDateTime(allow_none=True)
    cancelled_at = ma.fields.AwareDateTime(allow_none=True)
    payment_reference = ma.fields.String(allow_none=True)


class OrderListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(OrderSchema), required=True)
    has_more = ma.fields.Boolean(required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True,
                                   metadata={"description": "Pass as `cursor` for the next page"})


class OrderQueryArgsSchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(
        ["pending_payment", "paid", "fulfilled", "cancelled", "refunded"]))
    created_from = ma.fields.AwareDateTime()
    created_to = ma.fields.AwareDateTime()
    cursor = ma.fields.String(validate=ma.validate.Length(max=200))
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class CancelSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))
