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
    line_total_amount = ma.fields.Integer(metadata={"description": "Minor units"})


class OrderSchema(Schema):
    id = ma.fields.UUID()
    customer_id = ma.fields.UUID()
    status = ma.fields.String(metadata={"enum": ["pending_payment", "paid", "fulfilled", "cancelled"]})
    currency = ma.fields.String()
    subtotal_amount = ma.fields.Integer(metadata={"description": "Minor units"})
    total_amount = ma.fields.Integer(metadata={"description": "Minor units"})
    country = ma.fields.String()
    shipping_address = ma.fields.Nested(AddressSchema)
    billing_address = ma.fields.Nested(AddressSchema)
    lines = ma.fields.List(ma.fields.Nested(OrderLineSchema))
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    paid_at = ma.fields.AwareDateTime(allow_none=True)
    fulfilled_at = ma.fields.AwareDateTime(allow_none=True)
    cancelled_at = ma.fields.AwareDateTime(allow_none=True)


class OrderListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(OrderSchema), required=True)
    has_more = ma.fields.Boolean(required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True,
                                   metadata={"description": "Pass as `cursor` for the next page"})


class OrderQueryArgsSchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(
        ["pending_payment", "paid", "fulfilled", "cancelled"]))
    created_from = ma.fields.AwareDateTime()
    created_to = ma.fields.AwareDateTime()
    cursor = ma.fields.String(validate=ma.validate.Length(max=200))
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class CancelSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))
