"""The catalogue's API contract. Responses on the read path are built by
api/products/serialize.py and tested equal to ProductSchema's dump."""
import marshmallow as ma

from api.enums import CURRENCY, TAX_CATEGORY, named_enum
from api.schemas import AmountFilter, Schema
from app.catalog import rules
from app.catalog.bulk import MAX_ROWS
from app.catalog.queries import MAX_PAGE_SIZE, SORTS

MAX_PAGE = 10_000
_PRICE = ma.validate.Range(min=0, max=rules.MAX_AMOUNT - 1)
_MONEY_NOTE = "Integer minor units (cents), with `currency`; never a float."
_FILTER_NOTE = ("{} price of one unit, in integer minor units of the product's currency "
                "(1250 is 12.50 EUR; ASCII digits); a value that does not parse is a 400.")
_SKU = {"description": "Stock keeping unit, unique: 1-64 of A-Z a-z 0-9 . _ -",
        "example": "MUG-BLUE-350"}
_NAME = {"description": "Display name", "example": "Blue mug, 350 ml"}
_DESCRIPTION = {"description": "Long description (plain text)",
                "example": "Stoneware, dishwasher safe."}
_PRICE_DOC = {"description": _MONEY_NOTE, "example": 1250}
_CURRENCY = "ISO 4217 code of `price_amount`"
_ACTIVE = {"description": "Inactive products are hidden from the public catalogue",
           "example": True}
_STOCK = {"description": "Units in stock", "example": 40}
_CATEGORY = {"description": "The product's category, or null"}
_IMAGE = {"description": "Absolute URL of the product image, or null",
          "example": "https://cdn.example.com/mug-blue.jpg"}
_TAX = "Tax class; default: standard"


class ProductSchema(Schema):
    id = ma.fields.UUID(dump_only=True, metadata={"description": "The product's id"})
    sku = ma.fields.String(metadata=_SKU)
    name = ma.fields.String(metadata=_NAME)
    description = ma.fields.String(metadata=_DESCRIPTION)
    price_amount = ma.fields.Integer(metadata=_PRICE_DOC)
    currency = ma.fields.String(metadata={"description": _CURRENCY, "example": "EUR"})
    tax_category = ma.fields.String(metadata=named_enum(TAX_CATEGORY))
    active = ma.fields.Boolean(metadata=_ACTIVE)
    stock_on_hand = ma.fields.Integer(metadata=_STOCK)
    category_id = ma.fields.UUID(allow_none=True, metadata=_CATEGORY)
    image_url = ma.fields.String(allow_none=True, metadata=_IMAGE)
    created_at = ma.fields.AwareDateTime(dump_only=True, metadata={
        "description": "RFC 3339 timestamp (UTC) of creation"})
    updated_at = ma.fields.AwareDateTime(dump_only=True, metadata={
        "description": "RFC 3339 timestamp (UTC) of the last change"})


class ProductPatchSchema(Schema):
    """Fields to change; the same rules as creation (the service enforces them too)."""

    sku = ma.fields.String(validate=ma.validate.Regexp(rules.SKU_RE.pattern), metadata=_SKU)
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200), metadata=_NAME)
    description = ma.fields.String(validate=ma.validate.Length(max=10_000),
                                   metadata=_DESCRIPTION)
    price_amount = ma.fields.Integer(strict=True, validate=_PRICE, metadata=_PRICE_DOC)
    currency = ma.fields.String(validate=ma.validate.OneOf(rules.CURRENCIES),
                                metadata=named_enum(CURRENCY, _CURRENCY))
    tax_category = ma.fields.String(validate=ma.validate.OneOf(rules.TAX_CATEGORIES),
                                    metadata=named_enum(TAX_CATEGORY, _TAX))
    active = ma.fields.Boolean(metadata=_ACTIVE)
    stock_on_hand = ma.fields.Integer(strict=True, validate=_PRICE, metadata=_STOCK)
    category_id = ma.fields.UUID(allow_none=True, metadata=_CATEGORY)
    image_url = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500),
                                 metadata=_IMAGE)


class ProductCreateSchema(ProductPatchSchema):
    """A whole product (POST, PUT, bulk rows): omitted optional fields take their defaults
    (on PUT too: it replaces the product)."""

    sku = ma.fields.String(required=True, validate=ma.validate.Regexp(rules.SKU_RE.pattern),
                           metadata=_SKU)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                            metadata=_NAME)
    price_amount = ma.fields.Integer(required=True, strict=True, validate=_PRICE,
                                     metadata=_PRICE_DOC)
    currency = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.CURRENCIES),
                                metadata=named_enum(CURRENCY, _CURRENCY))


class _Rows(ma.fields.List):
    """Documented as a list of ProductCreate, but loaded as raw objects: the service
    validates every row itself so that the rejection is one per-row report
    (``errors.rows.<index>.<field>``), in the domain's words."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ma.ValidationError("Not a valid list.")
        return value


class BulkUpsertSchema(Schema):
    products = _Rows(ma.fields.Nested(ProductCreateSchema), required=True,
                     validate=ma.validate.Length(min=1, max=MAX_ROWS),
                     metadata={"description": f"1 to {MAX_ROWS} products, matched by SKU"})


class BulkUpsertResultSchema(Schema):
    created = ma.fields.Integer(metadata={"description": "Products created (new SKUs)",
                                          "example": 2})
    updated = ma.fields.Integer(metadata={"description": "Existing products changed",
                                          "example": 1})
    unchanged = ma.fields.Integer(metadata={"description": "Rows equal to the stored product",
                                            "example": 0})


class ProductQueryArgsSchema(Schema):
    q = ma.fields.String(validate=ma.validate.Length(max=200),
                         metadata={"description": "Full-text search"})
    category = ma.fields.String(validate=ma.validate.Length(min=1, max=120),
                                metadata={"description": "Category id or slug; includes "
                                                         "its sub-categories"})
    min_price = AmountFilter(validate=_PRICE,
                             metadata={"description": _FILTER_NOTE.format("Lowest")})
    max_price = AmountFilter(validate=_PRICE,
                             metadata={"description": _FILTER_NOTE.format("Highest")})
    in_stock = ma.fields.Boolean(metadata={"description": "true: only products with stock"})
    currency = ma.fields.String(validate=ma.validate.OneOf(rules.CURRENCIES),
                                metadata=named_enum(CURRENCY, "Only products priced in this "
                                                              "ISO 4217 currency"))
    sort = ma.fields.String(validate=ma.validate.OneOf(SORTS),
                            metadata={"description": "Default: relevance with q, else name"})
    page = ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_PAGE),
                             metadata={"description": "A page by number (default 1); "
                                                      "not with `cursor`"})
    cursor = ma.fields.String(validate=ma.validate.Length(min=1, max=1000),
                              metadata={"description": "The `next_cursor` of the page "
                                                       "before, with the same query: as "
                                                       "fast at any depth"})
    page_size = ma.fields.Integer(load_default=20,
                                  validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE),
                                  metadata={"description": f"Products per page, 1 to "
                                                           f"{MAX_PAGE_SIZE}"})
    include_total = ma.fields.Boolean(load_default=False,
                                      metadata={"description": "Count every match into "
                                                               "`total` (slower)"})

    @ma.validates_schema
    def _price_range(self, data, **kwargs):
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ma.ValidationError("Must not exceed max_price.", "min_price")


class ProductListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(ProductSchema),
                          metadata={"description": "The page's products"})
    page = ma.fields.Integer(allow_none=True,
                             metadata={"description": "Null for a page reached by cursor",
                                       "example": 1})
    page_size = ma.fields.Integer(metadata={"description": "Products per page",
                                            "example": 20})
    total = ma.fields.Integer(allow_none=True,
                              metadata={"description": "Every match, with "
                                                       "`include_total=true`; else null",
                                        "example": None})
    has_more = ma.fields.Boolean(metadata={"description": "Whether another page follows",
                                           "example": True})
    next_cursor = ma.fields.String(allow_none=True,
                                   metadata={"description": "Pass as `cursor` for the next "
                                                            "page; null on the last",
                                             "example": "eyJrIjpbIkJsdWUgbXVnIl19"})


class CategorySchema(Schema):
    id = ma.fields.UUID(dump_only=True, metadata={"description": "The category's id"})
    name = ma.fields.String(metadata={"description": "Display name", "example": "Kitchen"})
    slug = ma.fields.String(metadata={"description": "URL name, unique", "example": "kitchen"})
    parent_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The parent category; null at the top", "example": None})
    created_at = ma.fields.AwareDateTime(dump_only=True, metadata={
        "description": "RFC 3339 timestamp (UTC) of creation"})


class CategoryCreateSchema(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120),
                            metadata={"description": "Display name", "example": "Kitchen"})
    slug = ma.fields.String(validate=[ma.validate.Length(max=120),
                                      ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$")],
                            metadata={"description": "URL name (a-z, 0-9, -); default: "
                                                     "from the name", "example": "kitchen"})
    parent_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The parent category; null or absent at the top", "example": None})


class CategoryListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(CategorySchema),
                          metadata={"description": "Every category"})
