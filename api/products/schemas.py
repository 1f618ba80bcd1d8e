"""The catalogue's API contract. Responses on the read path are built by
api/products/serialize.py and tested equal to ProductSchema's dump."""
import marshmallow as ma

from api.schemas import AmountFilter, Schema
from app.catalog import rules
from app.catalog.bulk import MAX_ROWS
from app.catalog.queries import MAX_PAGE_SIZE, SORTS

MAX_PAGE = 10_000
_PRICE = ma.validate.Range(min=0, max=rules.MAX_AMOUNT - 1)
_MONEY_NOTE = "Integer minor units (cents), with `currency`; never a float."
_FILTER_NOTE = "Integer minor units (ASCII digits); a value that does not parse is a 400."


class ProductSchema(Schema):
    id = ma.fields.UUID(dump_only=True)
    sku = ma.fields.String()
    name = ma.fields.String()
    description = ma.fields.String()
    price_amount = ma.fields.Integer(metadata={"description": _MONEY_NOTE})
    currency = ma.fields.String(metadata={"description": "ISO 4217 code"})
    tax_category = ma.fields.String()
    active = ma.fields.Boolean()
    stock_on_hand = ma.fields.Integer()
    category_id = ma.fields.UUID(allow_none=True)
    image_url = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class ProductPatchSchema(Schema):
    """Fields to change; the same rules as creation (the service enforces them too)."""

    sku = ma.fields.String(validate=ma.validate.Regexp(rules.SKU_RE.pattern),
                           metadata={"description": "1-64 of A-Z a-z 0-9 . _ -"})
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    description = ma.fields.String(validate=ma.validate.Length(max=10_000))
    price_amount = ma.fields.Integer(strict=True, validate=_PRICE,
                                     metadata={"description": _MONEY_NOTE})
    currency = ma.fields.String(validate=ma.validate.OneOf(rules.CURRENCIES))
    tax_category = ma.fields.String(validate=ma.validate.OneOf(rules.TAX_CATEGORIES))
    active = ma.fields.Boolean()
    stock_on_hand = ma.fields.Integer(strict=True, validate=_PRICE)
    category_id = ma.fields.UUID(allow_none=True)
    image_url = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))


class ProductCreateSchema(ProductPatchSchema):
    """A whole product (POST, PUT, bulk rows): omitted optional fields take their defaults
    (on PUT too: it replaces the product)."""

    sku = ma.fields.String(required=True, validate=ma.validate.Regexp(rules.SKU_RE.pattern),
                           metadata={"description": "1-64 of A-Z a-z 0-9 . _ -"})
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    price_amount = ma.fields.Integer(required=True, strict=True, validate=_PRICE,
                                     metadata={"description": _MONEY_NOTE})
    currency = ma.fields.String(required=True, validate=ma.validate.OneOf(rules.CURRENCIES))


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
                     validate=ma.validate.Length(min=1, max=MAX_ROWS))


class BulkUpsertResultSchema(Schema):
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()


class ProductQueryArgsSchema(Schema):
    q = ma.fields.String(validate=ma.validate.Length(max=200),
                         metadata={"description": "Full-text search"})
    category = ma.fields.String(validate=ma.validate.Length(min=1, max=120),
                                metadata={"description": "Category id or slug; includes "
                                                         "its sub-categories"})
    min_price = AmountFilter(validate=_PRICE, metadata={"description": _FILTER_NOTE})
    max_price = AmountFilter(validate=_PRICE, metadata={"description": _FILTER_NOTE})
    in_stock = ma.fields.Boolean()
    currency = ma.fields.String(validate=ma.validate.OneOf(rules.CURRENCIES))
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
                                  validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE))
    include_total = ma.fields.Boolean(load_default=False,
                                      metadata={"description": "Count every match into "
                                                               "`total` (slower)"})

    @ma.validates_schema
    def _price_range(self, data, **kwargs):
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ma.ValidationError("Must not exceed max_price.", "min_price")


class ProductListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(ProductSchema))
    page = ma.fields.Integer(allow_none=True,
                             metadata={"description": "None for a page reached by cursor"})
    page_size = ma.fields.Integer()
    total = ma.fields.Integer(allow_none=True,
                              metadata={"description": "Every match, with "
                                                       "`include_total=true`; else null"})
    has_more = ma.fields.Boolean()
    next_cursor = ma.fields.String(allow_none=True,
                                   metadata={"description": "Pass as `cursor` for the next "
                                                            "page; null on the last"})


class CategorySchema(Schema):
    id = ma.fields.UUID(dump_only=True)
    name = ma.fields.String()
    slug = ma.fields.String()
    parent_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class CategoryCreateSchema(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    slug = ma.fields.String(validate=[ma.validate.Length(max=120),
                                      ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$")],
                            metadata={"description": "Default: from the name"})
    parent_id = ma.fields.UUID(allow_none=True)


class CategoryListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(CategorySchema))
