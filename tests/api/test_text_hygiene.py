"""Text hygiene and bad input at the API's edge ("Money you can trust"): lone surrogates
and control characters are a 422 naming the field path (body, nested, lists, keys,
query string) and write nothing; JSON too deep or not JSON is a 400; an amount filter
that does not parse is a 400 naming the field. Always the one error shape."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from api.schemas import AMOUNT_MESSAGE
from app.catalog.models import Product
from app.core.jsonload import MAX_DEPTH
from app.core.text import MESSAGE
from app.extensions import db
from app.orders.models import Order
from tests.factories import bearer, login
from tests.orders_support import ADDRESS, order_body, product

# Orders are taxed at checkout: the standard test rates must exist.
pytestmark = pytest.mark.usefixtures("tax_rates")

SHAPE = {"code", "status", "message", "request_id"}
ORDERS = "/api/v1/orders"
PRODUCTS = "/api/v1/products"


def _error(resp, status: int) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert SHAPE <= set(body) <= SHAPE | {"errors"}, body
    assert body["code"] == status and body["request_id"] == resp.headers["X-Request-ID"]
    return body


def _raw(client, url, text: str, **kwargs):
    """POST a body exactly as written (json= would refuse to encode a lone surrogate)."""
    return client.post(url, data=text.encode("utf-8"), content_type="application/json",
                       **kwargs)


def _orders() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Order))


@pytest.fixture
def customer(client, factories):
    user = factories.user()
    return bearer(login(client, user.email)["access_token"])


@pytest.fixture
def writer(app, factories):
    return bearer(factories.api_key(("catalog:write",), name="Writer")[1])


# --------------------------------------------------------------------- text in bodies

def test_lone_surrogate_in_shipping_address_is_422_and_no_order(client, customer):
    p = product(stock=5)
    text = json.dumps(order_body((p, 1))).replace("Ada Lovelace", "Ada \\ud800")
    assert "\\ud800" in text
    body = _error(_raw(client, ORDERS, text, headers=customer), 422)
    assert body["errors"] == {"json": {"shipping_address": {"name": [MESSAGE]}}}
    assert _orders() == 0
    db.session.expire_all()
    assert db.session.get(Product, p.id).stock_on_hand == 5


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\udc00"])
def test_control_characters_in_nested_fields_are_422(client, customer, char):
    p = product()
    address = {**ADDRESS, "line1": f"1 Analytical{char}St"}
    text = json.dumps({"lines": [{"product_id": str(p.id), "quantity": 1}],
                       "shipping_address": ADDRESS, "billing_address": address})
    body = _error(_raw(client, ORDERS, text, headers=customer), 422)
    assert body["errors"] == {"json": {"billing_address": {"line1": [MESSAGE]}}}
    assert _orders() == 0


def test_tab_newline_and_crlf_are_kept(client, customer):
    """CR is legitimate: browsers send textarea line breaks as CRLF."""
    p = product()
    line1 = "1 Analytical St\r\nFlat\t2"
    resp = client.post(ORDERS, json=order_body((p, 1), address={**ADDRESS, "line1": line1}),
                       headers=customer)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["shipping_address"]["line1"] == line1


def test_a_valid_surrogate_pair_is_an_ordinary_character(client, customer):
    p = product()
    text = json.dumps(order_body((p, 1))).replace("Ada Lovelace", "Ada \\ud83d\\ude00")
    resp = _raw(client, ORDERS, text, headers=customer)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["shipping_address"]["name"] == "Ada \U0001F600"


def test_bad_keys_are_named_printably(client, customer):
    p = product()
    text = json.dumps({"lines": [{"product_id": str(p.id), "quantity": 1,
                                  "note\u0007": "x"}],
                       "shipping_address": ADDRESS, "\ud800": 1})
    body = _error(_raw(client, ORDERS, text, headers=customer), 422)
    assert body["errors"] == {"json": {"lines": {"0": {"note\\u0007": [MESSAGE]}},
                                       "\\ud800": [MESSAGE]}}
    assert _orders() == 0


def test_bulk_rows_are_checked_although_the_schema_does_not_load_them(client, writer):
    rows = [{"sku": "OK-1", "name": "Fine", "price_amount": 100, "currency": "EUR"},
            {"sku": "BAD-1", "name": "Bad \ud800", "price_amount": 100, "currency": "EUR"}]
    text = json.dumps({"products": rows})
    body = _error(_raw(client, f"{PRODUCTS}/bulk-upsert", text, headers=writer), 422)
    assert body["errors"] == {"json": {"products": {"1": {"name": [MESSAGE]}}}}
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0


def test_user_profile_refuses_escape_sequences(client, factories):
    """Terminal escape codes in a name would reach logs and the back office."""
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    etag = client.get("/api/v1/users/me", headers=headers).headers["ETag"]
    resp = client.patch("/api/v1/users/me", json={"full_name": "\x1b[31mEvil"},
                        headers={**headers, "If-Match": etag})
    assert _error(resp, 422)["errors"] == {"json": {"full_name": [MESSAGE]}}
    db.session.expire_all()
    assert client.get("/api/v1/users/me", headers=headers).get_json()["full_name"] == "Test User"


# --------------------------------------------------------------------- query strings

@pytest.mark.parametrize("query, field", [
    ("q=a%01b", "q"), ("category=%1b", "category"), ("sort=name&q=%7F", "q"),
    ("q=ok&q=b%00d", "q"),  # every value of a repeated argument
])
def test_query_string_text_is_checked(client, query, field):
    body = _error(client.get(f"{PRODUCTS}?{query}"), 422)
    assert body["errors"] == {"query": {field: [MESSAGE]}}


def test_orders_cursor_is_checked(client, customer):
    body = _error(client.get(f"{ORDERS}?cursor=ab%0Ccd", headers=customer), 422)
    assert body["errors"] == {"query": {"cursor": [MESSAGE]}}


# --------------------------------------------------------------------- JSON itself

def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("url", ["/api/v1/auth/login", "/api/v1/auth/register", ORDERS])
def test_json_deeper_than_the_limit_is_400(client, customer, url):
    for text in (_nested(MAX_DEPTH + 1), "[" * 200_000 + "]" * 200_000):
        body = _error(_raw(client, url, text, headers=customer), 400)
        assert body["errors"] == {"json": [f"Nested deeper than {MAX_DEPTH} levels."]}
    assert _orders() == 0


def test_json_at_the_limit_reaches_the_schema(client, customer):
    """32 levels are parsed; the schema then refuses the unknown field (422, not 400)."""
    body = _error(_raw(client, ORDERS, _nested(MAX_DEPTH), headers=customer), 422)
    assert "a" in body["errors"]["json"]


def test_brackets_inside_strings_do_not_count(client, customer):
    p = product()
    name = "[[[[" * 20 + '\\"{{{{' * 20
    text = json.dumps(order_body((p, 1))).replace("Ada Lovelace", name)
    resp = _raw(client, ORDERS, text, headers=customer)
    assert resp.status_code == 201, resp.get_json()


@pytest.mark.parametrize("text", [
    "{bad", '{"email": "x"', '{"email": NaN}', '{"email": Infinity}', "[1,]",
    '{"email": ' + "1" * 5000 + "}",  # longer than int() converts
    '"\\"' * 2000,  # a string never closed
])
def test_body_that_is_not_json_is_400(client, text):
    body = _error(_raw(client, "/api/v1/auth/login", text), 400)
    assert body["errors"] == {"json": ["Invalid JSON body."]}


def test_body_that_is_not_utf8_is_400(client):
    resp = client.post("/api/v1/auth/register", data=b'{"email": "\xff"}',
                       content_type="application/json")
    assert _error(resp, 400)["errors"] == {"json": ["Invalid JSON body."]}


# --------------------------------------------------------------------- amount filters

@pytest.mark.parametrize("value", ["abc", "Infinity", "1e999999", "NaN", "1_000", "%2012",
                                   "%D9%A1%D9%A2", "12.5", "", "1" * 19])
@pytest.mark.parametrize("field", ["min_price", "max_price"])
def test_amount_filter_that_does_not_parse_is_400(client, field, value):
    body = _error(client.get(f"{PRODUCTS}?{field}={value}"), 400)
    assert body["errors"] == {"query": {field: [AMOUNT_MESSAGE]}}


def test_amount_filter_that_parses_is_validated_as_before(client):
    product(price=500)
    assert _error(client.get(f"{PRODUCTS}?min_price=-1"), 422)["errors"]["query"]["min_price"]
    assert _error(client.get(f"{PRODUCTS}?min_price=9&max_price=1"), 422)
    assert _error(client.get(f"{PRODUCTS}?page=abc"), 422)  # not an amount: unchanged
    resp = client.get(f"{PRODUCTS}?min_price=400&max_price=500")
    assert resp.status_code == 200 and len(resp.get_json()["data"]) == 1
    assert client.get(f"{PRODUCTS}?min_price=501").get_json()["data"] == []


def test_spec_documents_the_400s(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    listing = spec["paths"]["/api/v1/products"]["get"]
    assert "400" in listing["responses"]
    described = {p["name"]: p.get("description", "") for p in listing["parameters"]
                 if "name" in p}  # not the shared If-None-Match ($ref)
    assert "400" in described["min_price"] and "400" in described["max_price"]
    assert "400" in spec["paths"]["/api/v1/orders"]["post"]["responses"]
    assert "400" not in spec["paths"]["/api/v1/orders"]["get"]["responses"]
