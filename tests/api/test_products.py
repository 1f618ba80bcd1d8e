"""Catalogue API: public reads (envelope, visibility, ETag, cache freshness in embedded and
Redis modes, constant SQL), partner writes (scopes, If-Match, 422 writes nothing), bulk
upsert, categories, and the hand-built JSON equal to the documented schema."""
from __future__ import annotations

import uuid

import orjson

import pytest
from sqlalchemy import func, select

from api.products.schemas import ProductListSchema, ProductSchema
from api.products.serialize import dumps, page_dict, product_dict
from app.catalog import service as catalog
from app.catalog.models import Product
from app.core.actor import Actor
from app.extensions import db
from tests.factories import bearer

ACTOR = Actor.system("test")
PRODUCTS = "/api/v1/products"
TOTAL = PRODUCTS + "?include_total=true"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Product))


@pytest.fixture
def writer(app, factories):
    return bearer(factories.api_key(("catalog:write",), name="Writer")[1])


@pytest.fixture
def reader(app, factories):
    return bearer(factories.api_key(("orders:read",), name="Reader")[1])


def _new(**fields) -> dict:
    return {"sku": f"NEW-{uuid.uuid4().hex[:8]}", "name": "New thing", "price_amount": 1250,
            "currency": "EUR", **fields}


# -- public reads ------------------------------------------------------------------------

def test_public_list_envelope_and_visibility(client, factories):
    visible = factories.product(name="Visible", price_amount=1999)
    factories.product(name="Hidden", active=False)
    resp = client.get(PRODUCTS)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "X-Pagination" not in resp.headers
    body = resp.get_json()
    assert {k: body[k] for k in ("page", "page_size", "total", "has_more", "next_cursor")} == {
        "page": 1, "page_size": 20, "total": None, "has_more": False, "next_cursor": None}
    assert client.get(TOTAL).get_json()["total"] == 1
    [item] = body["data"]
    assert item["id"] == str(visible.id)
    assert item["price_amount"] == 1999 and isinstance(item["price_amount"], int)
    assert item["currency"] == "EUR"


def test_cursor_pages_through_the_api(client, factories):
    """Following next_cursor walks the whole list once, each page a cached read that a
    write still refreshes."""
    made = [factories.product(name=f"Item {n}", price_amount=100 * n) for n in range(5)]
    ids, query = [], {"page_size": 2, "sort": "price"}
    while True:
        body = client.get(PRODUCTS, query_string=query).get_json()
        ids += [item["id"] for item in body["data"]]
        assert body["has_more"] == (body["next_cursor"] is not None)
        if not body["has_more"]:
            break
        assert body["page"] == (1 if "cursor" not in query else None)
        query = {"page_size": 2, "sort": "price", "cursor": body["next_cursor"]}
    assert ids == [str(p.id) for p in made]
    assert [item["price_amount"] for item in
            client.get(PRODUCTS, query_string=query).get_json()["data"]] == [400]
    catalog.update_product(made[4].id, {"price_amount": 450}, actor=ACTOR)
    assert [item["price_amount"] for item in
            client.get(PRODUCTS, query_string=query).get_json()["data"]] == [450]


def test_partner_with_catalog_write_sees_inactive(client, factories, writer, reader):
    factories.product(name="Visible")
    hidden = factories.product(name="Hidden", active=False)
    assert client.get(TOTAL, headers=writer).get_json()["total"] == 2
    assert client.get(TOTAL, headers=reader).get_json()["total"] == 1
    assert client.get(f"{PRODUCTS}/{hidden.id}").status_code == 404
    assert client.get(f"{PRODUCTS}/{hidden.id}", headers=reader).status_code == 404
    resp = client.get(f"{PRODUCTS}/{hidden.id}", headers=writer)
    assert resp.status_code == 200 and resp.get_json()["active"] is False
    bad = client.get(PRODUCTS, headers=bearer("ngm_abc_wrong"))
    assert bad.status_code == 401 and bad.get_json()["code"] == 401


@pytest.mark.parametrize("query", [
    "page_size=101", "page_size=0", "page=0", "min_price=500&max_price=100", "min_price=-1",
    "sort=popularity", "currency=XYZ", "in_stock=maybe", "q=" + "x" * 201,
    "include_total=maybe", "cursor=", "cursor=not-a-cursor",  # max_price=abc: a 400,
    # tests/api/test_text_hygiene.py
    "page=2&cursor=WyJuYW1lIiwiQSIsIjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJd",
    "sort=price&cursor=WyJuYW1lIiwiQSIsIjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJd",
])
def test_list_rejects_bad_query_args(client, query):
    resp = client.get(f"{PRODUCTS}?{query}")
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["code"] == 422


@pytest.mark.parametrize("q", ["'; DROP TABLE products; --", "<script>alert(1)</script>",
                               "%_%", "' OR 1=1 --", "café ☕"])
def test_search_with_hostile_text_answers_correctly(client, factories, q):
    factories.product(name="Espresso cup")
    resp = client.get(PRODUCTS, query_string={"q": q, "include_total": "true"})
    assert resp.status_code == 200
    assert resp.get_json()["data"] == [] and resp.get_json()["total"] == 0
    assert _count() == 1


def test_search_and_filters_through_the_api(client, factories):
    shoes = factories.category("Shoes", slug="shoes")
    factories.product(sku="RUN-1", name="Trail running shoes", category=shoes, stock_on_hand=3)
    factories.product(sku="MUG-1", name="Espresso cup", price_amount=500)
    body = client.get(PRODUCTS, query_string={"q": "running", "category": "shoes",
                                              "in_stock": "true"}).get_json()
    assert [p["sku"] for p in body["data"]] == ["RUN-1"]
    body = client.get(PRODUCTS, query_string={"max_price": 600}).get_json()
    assert [p["sku"] for p in body["data"]] == ["MUG-1"]


def test_detail_etag_and_not_modified(client, factories):
    product = factories.product()
    resp = client.get(f"{PRODUCTS}/{product.id}")
    assert resp.status_code == 200 and resp.headers["ETag"]
    again = client.get(f"{PRODUCTS}/{product.id}", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(f"{PRODUCTS}/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{PRODUCTS}/not-a-uuid").status_code == 404


# -- writes ------------------------------------------------------------------------------

def test_writes_need_a_key_with_catalog_write(client, factories, reader):
    assert client.post(PRODUCTS, json=_new()).status_code == 401
    assert client.post(PRODUCTS, json=_new(), headers=reader).status_code == 403
    user = factories.user()
    tokens = factories.login(client, user.email)
    assert client.post(PRODUCTS, json=_new(),
                       headers=bearer(tokens["access_token"])).status_code == 403
    assert client.post(f"{PRODUCTS}/bulk-upsert", json={"products": [_new()]}).status_code == 401
    assert client.post("/api/v1/categories", json={"name": "X"}, headers=reader).status_code == 403
    assert _count() == 0


def test_create_returns_201_and_the_contract(client, writer):
    resp = client.post(PRODUCTS, json=_new(sku="CREATE-1", stock_on_hand=4), headers=writer)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["sku"] == "CREATE-1" and body["stock_on_hand"] == 4 and body["active"] is True
    dup = client.post(PRODUCTS, json=_new(sku="CREATE-1"), headers=writer)
    assert dup.status_code == 409 and dup.get_json()["errors"]["sku"]


@pytest.mark.parametrize("patch", [
    {"price_amount": 12.5}, {"price_amount": "1250"}, {"price_amount": -1},
    {"price_amount": 10**9}, {"currency": "eur"}, {"currency": "XXX"}, {"sku": "bad sku"},
    {"name": ""}, {"tax_category": "luxury"}, {"stock_on_hand": -3}, {"surprise": True},
    {"image_url": "javascript:alert(1)"}, {"category_id": str(uuid.uuid4())},
])
def test_bad_input_is_422_and_writes_nothing(client, writer, patch):
    resp = client.post(PRODUCTS, json=_new(**patch), headers=writer)
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["errors"]
    assert _count() == 0


def test_put_and_patch_need_a_fresh_if_match(client, factories, writer):
    product = factories.product(price_amount=1000)
    url = f"{PRODUCTS}/{product.id}"
    etag = client.get(url).headers["ETag"]
    assert client.patch(url, json={"price_amount": 1100}, headers=writer).status_code == 428
    stale = {**writer, "If-Match": '"0000"'}
    assert client.patch(url, json={"price_amount": 1100}, headers=stale).status_code == 412
    resp = client.patch(url, json={"price_amount": 1100}, headers={**writer, "If-Match": etag})
    assert resp.status_code == 200 and resp.get_json()["price_amount"] == 1100
    new_etag = resp.headers["ETag"]
    assert new_etag != etag
    # The old ETag is now stale; a PUT with it fails, with the new one it replaces.
    whole = {"sku": product.sku, "name": "Replaced", "price_amount": 900, "currency": "GBP"}
    assert client.put(url, json=whole, headers={**writer, "If-Match": etag}).status_code == 412
    assert client.put(url, json=whole, headers=writer).status_code == 428
    resp = client.put(url, json=whole, headers={**writer, "If-Match": new_etag})
    assert resp.status_code == 200 and resp.get_json()["currency"] == "GBP"
    assert client.get(url).headers["ETag"] == resp.headers["ETag"]
    assert client.put(url, json={"name": "Only"}, headers={**writer, "If-Match": resp.headers[
        "ETag"]}).status_code == 422


def test_bulk_upsert_counts_and_per_row_report(client, factories, writer):
    factories.product(sku="BULK-00000", name="Bulk product 0", price_amount=100)
    rows = factories.product_rows(4)
    resp = client.post(f"{PRODUCTS}/bulk-upsert", json={"products": rows}, headers=writer)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {"created": 3, "updated": 0, "unchanged": 1}

    rows = factories.product_rows(4, prefix="NEXT")
    rows[2]["price_amount"] = 1.5
    rows[3]["currency"] = "usd"
    resp = client.post(f"{PRODUCTS}/bulk-upsert", json={"products": rows}, headers=writer)
    assert resp.status_code == 422
    report = resp.get_json()["errors"]["rows"]
    assert report == {"2": {"price_amount": ["Must be an integer (minor units)."]},
                      "3": {"currency": ["ISO 4217 code: three uppercase letters."]}}
    assert _count() == 4

    for body in ({}, {"products": []}, {"products": "x"}, {"products": [], "extra": 1}):
        assert client.post(f"{PRODUCTS}/bulk-upsert", json=body,
                           headers=writer).status_code == 422


def test_bulk_upsert_of_5000_rows_above_the_global_body_limit(client, factories, writer):
    rows = factories.product_rows(5000, description="d" * 250)
    resp = client.post(f"{PRODUCTS}/bulk-upsert", json={"products": rows}, headers=writer)
    assert resp.status_code == 200, resp.status_code
    assert resp.get_json()["created"] == 5000 and _count() == 5000
    too_many = factories.product_rows(5001)
    assert client.post(f"{PRODUCTS}/bulk-upsert", json={"products": too_many},
                       headers=writer).status_code == 422


def test_categories(client, writer):
    resp = client.post("/api/v1/categories", json={"name": "Clothing"}, headers=writer)
    assert resp.status_code == 201 and resp.get_json()["slug"] == "clothing"
    parent = resp.get_json()["id"]
    resp = client.post("/api/v1/categories", json={"name": "Shoes", "parent_id": parent},
                       headers=writer)
    assert resp.status_code == 201 and resp.get_json()["parent_id"] == parent
    assert client.post("/api/v1/categories", json={"name": "Clothing"},
                       headers=writer).status_code == 409
    data = client.get("/api/v1/categories").get_json()["data"]
    assert [c["slug"] for c in data] == ["clothing", "shoes"]


# -- cache: a write is visible on the very next read -------------------------------------

def _freshness(client, factories, headers):
    product = factories.product(name="Cached", price_amount=1000)
    url = f"{PRODUCTS}/{product.id}"
    for _ in range(2):  # warm the cache
        assert client.get(PRODUCTS).get_json()["data"][0]["price_amount"] == 1000
        assert client.get(url).get_json()["price_amount"] == 1000

    etag = client.get(url).headers["ETag"]
    client.patch(url, json={"price_amount": 1500}, headers={**headers, "If-Match": etag})
    assert client.get(PRODUCTS).get_json()["data"][0]["price_amount"] == 1500
    assert client.get(url).get_json()["price_amount"] == 1500

    # A back-office write (the service, no HTTP) invalidates just the same.
    catalog.update_product(product.id, {"price_amount": 1700}, actor=ACTOR)
    assert client.get(PRODUCTS).get_json()["data"][0]["price_amount"] == 1700
    assert client.get(url).get_json()["price_amount"] == 1700

    catalog.bulk_upsert_by_sku([{"sku": product.sku, "name": "Cached", "price_amount": 1800,
                                 "currency": "EUR"}], actor=ACTOR)
    assert client.get(url).get_json()["price_amount"] == 1800
    assert client.get(PRODUCTS).get_json()["data"][0]["price_amount"] == 1800

    catalog.set_stock(product.id, 9, actor=ACTOR)
    assert client.get(url).get_json()["stock_on_hand"] == 9
    assert client.get(TOTAL + "&in_stock=true").get_json()["total"] == 1

    catalog.deactivate([product.id], actor=ACTOR)
    assert client.get(url).status_code == 404
    assert client.get(TOTAL).get_json()["total"] == 0

    factories.product(name="Another")
    assert client.get(TOTAL).get_json()["total"] == 1


def test_embedded_keeps_no_page_in_the_process(client, factories, writer, query_counter):
    """Embedded there is no cache: every read is a statement, so a write by any process
    (another worker, SQL by hand) shows at once."""
    from app.extensions import cache

    assert type(cache.cache).__name__ == "NullCache"
    _freshness(client, factories, writer)
    client.get(PRODUCTS)
    with query_counter() as counted:
        client.get(PRODUCTS)
    assert counted.count == 1


def test_cache_freshness_redis(redis_client, factories):
    import redis as redis_lib

    from app.extensions import cache
    from tests import services

    assert type(cache.cache).__name__ == "RedisCache"
    writer = bearer(factories.api_key(("catalog:write",))[1])
    _freshness(redis_client, factories, writer)
    keys = redis_lib.Redis.from_url(services.REDIS_URL).keys("*catalog:list:*")
    assert keys  # the pages really were cached in Redis


# -- performance contract ----------------------------------------------------------------

@pytest.mark.parametrize("with_key", [False, True])
def test_list_runs_the_same_number_of_statements_for_10_100_1000(
        client, factories, query_counter, writer, with_key):
    from app.extensions import cache

    headers = writer if with_key else {}
    client.get(PRODUCTS, headers=headers)  # the key's last-use write happens once, now
    shoes = factories.category("Shoes", slug="shoes")
    counts, made = [], 0
    for total in (10, 100, 1000):
        rows = factories.product_rows(total - made, prefix=f"P{total}",
                                      category_id=str(shoes.id))
        catalog.bulk_upsert_by_sku(rows, actor=ACTOR)
        made = total
        cache.clear()
        with query_counter() as counted:
            resp = client.get(PRODUCTS, query_string={"page_size": min(total, 100),
                                                      "category": "shoes", "q": "bulk",
                                                      "include_total": "true"},
                              headers=headers)
        body = resp.get_json()
        assert body["total"] == total and len(body["data"]) == min(total, 100)
        counts.append(counted.count)
    assert counts[0] == counts[1] == counts[2], counts


def test_hand_built_json_equals_the_schema_dump(app, factories):
    cat = factories.category("Books")
    products = [
        factories.product(),
        factories.product(name="Café ☕ <b>bold</b>", description="Ünïcode\nlines",
                          category=cat, image_url="https://img.example/x.png",
                          stock_on_hand=7, tax_category="zero", currency="JPY"),
        factories.product(active=False, price_amount=0),
    ]
    for p in products:
        assert product_dict(p) == ProductSchema().dump(p)
    page = catalog.list_products(include_inactive=True, page_size=2, include_total=True)
    assert page.next_cursor
    rows_as_products = [db.session.get(Product, r.id) for r in page.items]
    assert [product_dict(r) for r in page.items] == [product_dict(p) for p in rows_as_products]
    expected = ProductListSchema().dump({"data": rows_as_products, "page": page.page,
                                         "page_size": page.page_size, "total": page.total,
                                         "has_more": page.has_more,
                                         "next_cursor": page.next_cursor})
    # page_dict leaves UUIDs and datetimes to orjson: compare what goes over the wire.
    assert orjson.loads(dumps(page_dict(page))) == expected
