import marshmallow as ma

from api.enums import ORDER_STATUS, TAX_CATEGORY, TAX_TREATMENT, named_enum, values
from api.schemas import CursorPageSchema, PageArgsSchema, Schema

_MINOR = "integer minor units of `currency` (cents for EUR)"
_RATE = "A fraction with six decimals: 0.190000 is 19 %"


# A Decimal dumped as_string is a JSON string; apispec would document a number.
DECIMAL_STRING = {"type": "string", "format": "decimal"}


def _at(what: str, **metadata) -> dict:
    return {"description": f"RFC 3339 timestamp (UTC) {what}", **metadata}


class AddressSchema(Schema):
    name = ma.fields.String(required=True, metadata={"description": "Recipient",
                                                     "example": "Ada Lovelace"})
    line1 = ma.fields.String(required=True, metadata={"description": "Street and number",
                                                      "example": "Friedrichstr. 68"})
    line2 = ma.fields.String(allow_none=True, metadata={
        "description": "Flat, floor, company (optional)", "example": "3rd floor"})
    city = ma.fields.String(required=True, metadata={"description": "City",
                                                     "example": "Berlin"})
    region = ma.fields.String(allow_none=True, metadata={
        "description": "State or province, where the country uses one", "example": None})
    postal_code = ma.fields.String(required=True, metadata={"description": "Postal code",
                                                            "example": "10117"})
    country = ma.fields.String(required=True, metadata={
        "description": "ISO 3166-1 alpha-2 country code", "example": "DE"})


class OrderLineCreateSchema(Schema):
    product_id = ma.fields.UUID(required=True, metadata={"description": "The product to buy"})
    quantity = ma.fields.Integer(required=True, strict=True,
                                 metadata={"description": "Units, 1 to 1000", "example": 2})


class OrderCreateSchema(Schema):
    lines = ma.fields.List(ma.fields.Nested(OrderLineCreateSchema), required=True,
                           metadata={"description": "1 to 100 lines; prices come from the catalogue"})
    shipping_address = ma.fields.Nested(AddressSchema, required=True,
                                        metadata={"description": "Where to deliver"})
    billing_address = ma.fields.Nested(AddressSchema, allow_none=True, metadata={
        "description": "For the invoice; default: the shipping address"})


class OrderLineSchema(Schema):
    product_id = ma.fields.UUID(metadata={"description": "The product bought"})
    sku = ma.fields.String(metadata={"description": "The product's SKU when ordered",
                                     "example": "MUG-BLUE-350"})
    name = ma.fields.String(metadata={"description": "The product's name when ordered",
                                      "example": "Blue mug, 350 ml"})
    tax_category = ma.fields.String(metadata=named_enum(TAX_CATEGORY))
    unit_price_amount = ma.fields.Integer(metadata={
        "description": f"Catalogue price of one unit, {_MINOR}", "example": 1250})
    quantity = ma.fields.Integer(metadata={"description": "Units", "example": 2})
    line_total_amount = ma.fields.Integer(metadata={
        "description": f"Quantity x unit price, {_MINOR}", "example": 2500})
    tax_rate = ma.fields.Decimal(as_string=True, metadata={
        "description": f"The rate applied. {_RATE}", "example": "0.190000", **DECIMAL_STRING})
    net_amount = ma.fields.Integer(metadata={"description": f"Without tax, {_MINOR}",
                                             "example": 2500})
    tax_amount = ma.fields.Integer(metadata={
        "description": f"Tax of the line (rounded half up), {_MINOR}", "example": 475})
    gross_amount = ma.fields.Integer(metadata={"description": f"With tax, {_MINOR}",
                                               "example": 2975})


class TaxBreakdownSchema(Schema):
    treatment = ma.fields.String(metadata=named_enum(TAX_TREATMENT))
    rate = ma.fields.String(metadata={"description": _RATE, "example": "0.190000"})
    net_amount = ma.fields.Integer(metadata={
        "description": f"Sum of the nets taxed this way, {_MINOR}", "example": 2500})
    tax_amount = ma.fields.Integer(metadata={
        "description": f"Sum of their taxes, {_MINOR}", "example": 475})


class OrderSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The order's id"})
    number = ma.fields.Integer(metadata={
        "description": "The order's human number, sequential and unique, shown as #1042 in "
                       "messages, documents and the back office", "example": 1042})
    customer_id = ma.fields.UUID(metadata={"description": "The user who placed it"})
    status = ma.fields.String(metadata=named_enum(ORDER_STATUS))
    currency = ma.fields.String(metadata={"description": "ISO 4217 currency code of every "
                                                         "amount", "example": "EUR"})
    tax_inclusive = ma.fields.Boolean(metadata={"description": "Whether unit prices include tax"})
    subtotal_amount = ma.fields.Integer(metadata={
        "description": f"Sum of line nets, {_MINOR}", "example": 2500})
    tax_amount = ma.fields.Integer(metadata={
        "description": f"Sum of line taxes, {_MINOR}", "example": 475})
    total_amount = ma.fields.Integer(metadata={
        "description": f"What the customer is charged: subtotal + tax, {_MINOR}",
        "example": 2975})
    tax_breakdown = ma.fields.List(ma.fields.Nested(TaxBreakdownSchema), metadata={
        "description": "Nets and taxes per treatment and rate"})
    tax_date = ma.fields.Date(allow_none=True, metadata={
        "description": "The supply date whose rates apply (the seller's calendar day), "
                       "ISO 8601 date"})
    country = ma.fields.String(metadata={
        "description": "ISO 3166-1 alpha-2 code of the country taxed (the shipping "
                       "address's)", "example": "DE"})
    shipping_address = ma.fields.Nested(AddressSchema, metadata={"description": "Where to deliver"})
    billing_address = ma.fields.Nested(AddressSchema, metadata={
        "description": "For the invoice"})
    lines = ma.fields.List(ma.fields.Nested(OrderLineSchema), metadata={
        "description": "What was ordered, at the prices then"})
    created_at = ma.fields.AwareDateTime(metadata=_at("when it was placed"))
    updated_at = ma.fields.AwareDateTime(metadata=_at("of the last change"))
    paid_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at("when it was paid",
                                                                     example=None))
    fulfilled_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at(
        "when it was fulfilled", example=None))
    cancelled_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at(
        "when it was cancelled", example=None))
    payment_reference = ma.fields.String(allow_none=True, metadata={
        "description": "The payment's reference, once paid", "example": None})
    under_review = ma.fields.Boolean(metadata={
        "description": "Held for a manual check before it can be paid or shipped; the "
                       "customer is told the outcome", "example": False})


class OrderListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(OrderSchema), required=True,
                          metadata={"description": "The page's orders, newest first"})


class OrderQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(values(ORDER_STATUS)),
                              metadata=named_enum(ORDER_STATUS, "Only orders in this state"))
    created_from = ma.fields.AwareDateTime(metadata=_at(
        "(with offset): orders placed at or after it"))
    created_to = ma.fields.AwareDateTime(metadata=_at(
        "(with offset): orders placed before it"))


class CancelSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=500), metadata={
        "description": "Why (kept in the order's history)", "example": "Ordered twice"})
