import marshmallow as ma

from api.enums import (
    INVOICE_KIND, INVOICE_SERIES, INVOICE_STATUS, PDF_STATUS, TAX_CATEGORY, named_enum, values,
)
from api.orders.schemas import DECIMAL_STRING, AddressSchema
from api.schemas import CursorPageSchema, PageArgsSchema, Schema

STATUSES = list(values(INVOICE_STATUS))
_MINOR = "integer minor units of `currency` (cents for EUR)"


def _money(description: str, example: int) -> dict:
    return {"description": f"{description}, {_MINOR}", "example": example}


def _at(what: str, **metadata) -> dict:
    return {"description": f"RFC 3339 timestamp (UTC) {what}", **metadata}


def _date(what: str, **metadata) -> dict:
    return {"description": f"ISO 8601 date (the seller's calendar day) {what}", **metadata}


class BuyerSchema(Schema):
    name = ma.fields.String(required=True, metadata={"description": "Name or company",
                                                     "example": "Acme GmbH"})
    email = ma.fields.String(allow_none=True, metadata={
        "description": "Where the invoice is sent", "example": "billing@acme.example"})
    address = ma.fields.Nested(AddressSchema, required=True,
                               metadata={"description": "Billing address"})
    tax_id = ma.fields.String(allow_none=True, metadata={
        "description": "VAT id, e.g. FR12345678901", "example": "DE123456789"})
    is_business = ma.fields.Boolean(load_default=False, metadata={
        "description": "A business buyer (reverse charge may apply)", "example": True})


class InvoiceCreateSchema(Schema):
    currency = ma.fields.String(required=True, metadata={"description": "ISO 4217 currency code",
                                                         "example": "EUR"})
    buyer = ma.fields.Nested(BuyerSchema, required=True, metadata={"description": "Who pays"})
    customer_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The end user it belongs to (who may then read it), or null"})
    tax_inclusive = ma.fields.Boolean(load_default=False, metadata={
        "description": "Whether line unit amounts include tax", "example": False})
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000), metadata={
        "description": "Free text printed on the invoice", "example": "Thank you!"})


class LineCreateSchema(Schema):
    description = ma.fields.String(load_default="", metadata={
        "description": "Line text; default: the product's name", "example": "Consulting, March"})
    quantity = ma.fields.Integer(required=True, strict=True,
                                 metadata={"description": "Units", "example": 3})
    unit_amount = ma.fields.Integer(strict=True, allow_none=True, metadata={
        "description": "Price of one unit, integer minor units of the invoice's currency; "
                       "default: the product's price", "example": 12000})
    tax_category = ma.fields.String(allow_none=True, metadata=named_enum(
        TAX_CATEGORY, "Tax class; default: the product's, else standard"))
    product_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The catalogue product billed, or null for a free-text line",
        "example": None})


class InvoiceLineSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The line's id"})
    position = ma.fields.Integer(metadata={"description": "1-based order on the invoice",
                                           "example": 1})
    description = ma.fields.String(metadata={"description": "Line text",
                                             "example": "Consulting, March"})
    sku = ma.fields.String(allow_none=True, metadata={
        "description": "The product's SKU, for a product line", "example": None})
    product_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The product billed, or null", "example": None})
    quantity = ma.fields.Integer(metadata={"description": "Units", "example": 3})
    unit_amount = ma.fields.Integer(metadata=_money("Price of one unit", 12000))
    tax_category = ma.fields.String(metadata=named_enum(TAX_CATEGORY))
    tax_rate = ma.fields.Decimal(as_string=True, metadata={
        "description": "The rate applied, a fraction with six decimals: 0.190000 is 19 %",
        "example": "0.190000", **DECIMAL_STRING})
    net_amount = ma.fields.Integer(metadata=_money("Without tax", 36000))
    tax_amount = ma.fields.Integer(metadata=_money("Tax (rounded half up)", 6840))
    gross_amount = ma.fields.Integer(metadata=_money("With tax", 42840))
    credits_line_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "On a credit note: the line of the invoice it credits",
        "example": None})


class InvoiceSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The invoice's id"})
    kind = ma.fields.String(metadata=named_enum(INVOICE_KIND))
    series = ma.fields.String(metadata=named_enum(INVOICE_SERIES))
    number = ma.fields.String(allow_none=True, metadata={
        "description": "Gapless number within the series and year; null on a draft",
        "example": "INV-2026-000042"})
    status = ma.fields.String(metadata=named_enum(INVOICE_STATUS))
    customer_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The end user it belongs to, or null"})
    order_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The order it bills, or null", "example": None})
    credit_note_for_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "On a credit note: the invoice it credits", "example": None})
    currency = ma.fields.String(metadata={"description": "ISO 4217 currency code of every "
                                                         "amount", "example": "EUR"})
    tax_inclusive = ma.fields.Boolean(metadata={
        "description": "Whether line unit amounts include tax"})
    reverse_charge = ma.fields.Boolean(metadata={
        "description": "Tax is due from the business buyer (EU reverse charge)"})
    buyer = ma.fields.Dict(metadata={
        "description": "The buyer as on the invoice (see InvoiceCreate.buyer)",
        "example": {"name": "Acme GmbH", "email": "billing@acme.example", "tax_id": None,
                    "is_business": True,
                    "address": {"name": "Acme GmbH", "line1": "Friedrichstr. 68",
                                "line2": None, "city": "Berlin", "region": None,
                                "postal_code": "10117", "country": "DE"}}})
    notes = ma.fields.String(metadata={"description": "Free text printed on the invoice",
                                       "example": "Thank you!"})
    subtotal_amount = ma.fields.Integer(metadata=_money("Sum of line nets", 36000))
    tax_amount = ma.fields.Integer(metadata=_money("Sum of line taxes", 6840))
    total_amount = ma.fields.Integer(metadata=_money("Subtotal + tax", 42840))
    amount_paid = ma.fields.Integer(metadata=_money("Received", 0))
    amount_credited = ma.fields.Integer(metadata=_money(
        "Sum of its credit notes (never above the total)", 0))
    amount_due = ma.fields.Integer(metadata=_money(
        "Still to pay: total - paid - credited while open, else 0", 42840))
    payment_reference = ma.fields.String(allow_none=True, metadata={
        "description": "The payment's reference (e.g. the bank transfer's), once paid",
        "example": None})
    issue_date = ma.fields.Date(allow_none=True, metadata=_date("of issue; null on a draft"))
    tax_date = ma.fields.Date(allow_none=True, metadata=_date("of supply, whose rates apply"))
    due_date = ma.fields.Date(allow_none=True, metadata=_date("by which to pay"))
    pdf_status = ma.fields.String(metadata=named_enum(PDF_STATUS))
    lines = ma.fields.List(ma.fields.Nested(InvoiceLineSchema), metadata={
        "description": "The lines, by position"})
    created_at = ma.fields.AwareDateTime(metadata=_at("of creation"))
    finalised_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at("when it was finalised"))
    sent_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at("when it was sent",
                                                                     example=None))
    paid_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at("when it was paid",
                                                                     example=None))
    cancelled_at = ma.fields.AwareDateTime(allow_none=True, metadata=_at(
        "when it was voided", example=None))


class InvoiceListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(InvoiceSchema), required=True,
                          metadata={"description": "The page's invoices, newest first"})


class InvoiceQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES), metadata=named_enum(
        INVOICE_STATUS, "Only invoices in this state"))
    series = ma.fields.String(validate=ma.validate.OneOf(["INV", "CN"]), metadata=named_enum(
        INVOICE_SERIES, "Only this series: INV invoices, CN credit notes"))


class CreditLineSchema(Schema):
    line_id = ma.fields.UUID(required=True, metadata={"description": "The invoice line"})
    quantity = ma.fields.Integer(required=True, strict=True,
                                 metadata={"description": "Units returned, at most those not yet credited",
                                           "example": 1})


class CreditNoteSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000), metadata={
        "description": "Why, printed on the credit note", "example": "One unit returned"})
    lines = ma.fields.List(ma.fields.Nested(CreditLineSchema), validate=ma.validate.Length(min=1),
                           metadata={"description": "Credit these lines and quantities"})
    # No example: an example body credits lines, and `amount` is the alternative to them.
    amount = ma.fields.Integer(strict=True, metadata={
        "description": "Or credit this gross amount (integer minor units of the invoice's "
                       "currency), spread over the lines in proportion; neither: the whole "
                       "remaining amount"})


class MarkPaidSchema(Schema):
    reference = ma.fields.String(load_default=None, allow_none=True,
                                 validate=ma.validate.Length(max=100),
                                 metadata={"description": "The bank transfer's reference",
                                           "example": "SEPA-2026-03-01-7781"})
