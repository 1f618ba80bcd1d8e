"""Catalogue API: public reads (cached, hand-serialised), partner writes (catalog:write)."""
from __future__ import annotations

import functools

import orjson
from flask import current_app, request
from flask.views import MethodView

from api import http_cache
from api.products.schemas import (
    BulkUpsertResultSchema, BulkUpsertSchema, CategoryCreateSchema, CategoryListSchema,
    CategorySchema, ProductCreateSchema, ProductListSchema, ProductPatchSchema,
    ProductQueryArgsSchema, ProductSchema,
)
from api.products.serialize import dumps, page_json, product_dict
from api.security import current_principal
from api.smorest import API_KEY, Blueprint
from app.catalog import cache as catalog_cache
from app.catalog import service as catalog
from app.core.errors import NotFound

blp = Blueprint("products", __name__, url_prefix="/api/v1", description="Catalogue: products",
                other_resources={"categories": "Catalogue: product categories"})

WRITE = ("catalog:write",)
# Reads are public; a partner key with catalog:write also sees inactive products.
PUBLIC_OR_PARTNER = [{}, {API_KEY: list(WRITE)}]
BULK_MAX_BYTES = 16 * 1024 * 1024  # 5000 rows with descriptions exceed the global 1 MB


def _sees_inactive() -> bool:
    """Anonymous callers and end users get the public view. A credential, when sent,
    must be valid (401 otherwise): a typo in a key should not silently hide products."""
    if not request.headers.get("Authorization"):
        return False
    principal = current_principal()
    return principal.api_key is not None and set(WRITE) <= set(principal.actor.scopes)


def _json(body: bytes, status: int = 200):
    return current_app.response_class(body, status=status, mimetype="application/json")


def _public_read(func):
    func = blp.doc(security=PUBLIC_OR_PARTNER)(func)
    return blp.alt_response(401, response="DEFAULT_ERROR",
                            description="Invalid credentials (when sent)")(func)


@blp.route("/products")
class Products(MethodView):
    @_public_read
    @blp.arguments(ProductQueryArgsSchema, location="query")
    @blp.response(200, ProductListSchema)
    def get(self, args):
        """List and search active products.

        Full-text search with `q` (ranked), filters and sorting. Pages by number
        (`page`) or, as fast at any depth, by `cursor`: the `next_cursor` of the page
        before. `total` counts every match only with `include_total=true`. Responses are
        cached and never stale.
        """
        if _sees_inactive():
            http_cache.private()
            return http_cache.conditional(*_page(args, include_inactive=True))
        http_cache.public()
        if not catalog_cache.enabled():
            return http_cache.conditional(*_page(args))
        etag, body = catalog_cache.list_page(orjson.dumps(args, option=orjson.OPT_SORT_KEYS),
                                             lambda: _rendered(args))
        return http_cache.conditional(etag, lambda: body)

    @blp.auth(scopes=WRITE)
    @blp.etag
    @blp.arguments(ProductCreateSchema)
    @blp.response(201, ProductSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="SKU already exists")
    def post(self, data):
        """Create a product."""
        return catalog.create_product(data, actor=current_principal().actor)


def _page(args, include_inactive: bool = False):
    """The page's validator, from its rows, and how to render it (only if needed)."""
    page = catalog.list_products(**args, include_inactive=include_inactive)
    return (http_cache.etag_of_rows([page.items, page.total, page.page, page.next_cursor]),
            lambda: page_json(page))


def _rendered(args) -> tuple[str, bytes]:
    etag, render = _page(args)
    return etag, render()


def _detail(product_id):
    try:
        return product_dict(catalog.get_product(product_id, include_inactive=True))
    except NotFound:
        return None


@blp.route("/products/<uuid:product_id>")
class ProductItem(MethodView):
    @_public_read
    @blp.etag
    @blp.response(200, ProductSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown or inactive product")
    def get(self, product_id):
        """One product; inactive products are 404 except for catalog:write partners."""
        sees_inactive = _sees_inactive()
        data = catalog_cache.product(product_id, lambda: _detail(product_id))
        if data is None or (not data["active"] and not sees_inactive):
            raise NotFound("Product not found.")
        if data["active"]:
            http_cache.public()
        else:  # only a catalog:write partner sees an inactive one
            http_cache.private()
        blp.set_etag(data)  # equals ProductSchema's dump, so If-Match on PUT/PATCH agrees
        return _json(dumps(data))

    @blp.auth(scopes=WRITE)
    @blp.etag
    @blp.arguments(ProductCreateSchema)
    @blp.response(200, ProductSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown product")
    @blp.alt_response(409, response="DEFAULT_ERROR", description="SKU already exists")
    def put(self, data, product_id):
        """Replace a product. Send the ETag from GET in If-Match."""
        product = catalog.get_product(product_id, include_inactive=True, for_update=True)
        blp.check_etag(product, ProductSchema)
        return catalog.update_product(product.id, data, actor=current_principal().actor,
                                      replace=True)

    @blp.auth(scopes=WRITE)
    @blp.etag
    @blp.arguments(ProductPatchSchema)
    @blp.response(200, ProductSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown product")
    @blp.alt_response(409, response="DEFAULT_ERROR", description="SKU already exists")
    def patch(self, data, product_id):
        """Change some fields of a product. Send the ETag from GET in If-Match."""
        product = catalog.get_product(product_id, include_inactive=True, for_update=True)
        blp.check_etag(product, ProductSchema)
        return catalog.update_product(product.id, data, actor=current_principal().actor)


def _large_body(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        # Raised only after authentication (the decorator above), never for anonymous.
        request.max_content_length = BULK_MAX_BYTES
        return func(*args, **kwargs)

    return wrapper


@blp.route("/products/bulk-upsert", methods=["POST"])
@blp.auth(scopes=WRITE)
@_large_body
@blp.arguments(BulkUpsertSchema)
@blp.response(200, BulkUpsertResultSchema)
@blp.alt_response(409, response="DEFAULT_ERROR", description="Concurrent write; retry")
def bulk_upsert(data):
    """Create or update up to 5000 products by SKU, all or nothing.

    When any row is invalid nothing is written and the 422 body lists the errors by row
    index (0-based): `errors.rows["3"].price_amount`.
    """
    result = catalog.bulk_upsert_by_sku(data["products"], actor=current_principal().actor)
    return result.counts()


@blp.route("/categories")
class Categories(MethodView):
    @blp.response(200, CategoryListSchema)
    def get(self):
        """The category tree, flat: build it with `parent_id`."""
        http_cache.public()
        return {"data": catalog.list_categories()}

    @blp.auth(scopes=WRITE)
    @blp.arguments(CategoryCreateSchema)
    @blp.response(201, CategorySchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Slug already exists")
    def post(self, data):
        """Create a category."""
        return catalog.create_category(data["name"], slug=data.get("slug"),
                                       parent_id=data.get("parent_id"),
                                       actor=current_principal().actor)
