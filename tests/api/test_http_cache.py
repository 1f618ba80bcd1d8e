"""HTTP caching: ETag on every GET, If-None-Match -> 304 without a body (lists without
rendering one), Cache-Control by who may keep an answer."""
import pytest

from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.orders import service as orders
from tests.factories import bearer, login
from tests.orders_support import order_body, product

pytestmark = pytest.mark.usefixtures("tax_rates")
ORDERS = "/api/v1/orders"
PRODUCTS = "/api/v1/products"


@pytest.fixture
def customer(client, factories):
    user = factories.user()
    return user, bearer(login(client, user.email)["access_token"])


def _revalidate(client, url, headers, etag, inm=None):
    return client.get(url, headers={**headers, "If-None-Match": inm or etag})


def test_order_list_is_private_and_revalidates_to_304_until_it_changes(client, customer):
    user, headers = customer
    placed = client.post(ORDERS, json=order_body((product(), 1)), headers=headers).get_json()
    first = client.get(ORDERS, headers=headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert first.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in first.headers["Vary"]

    again = _revalidate(client, ORDERS, headers, etag)
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, no-store"
    for form in (f"W/{etag}", f'"nope", {etag}', "*"):
        assert _revalidate(client, ORDERS, headers, etag, form).status_code == 304, form

    with unit_of_work():
        orders.mark_paid(placed["id"], actor=Actor(kind="staff", label="finance"))
    changed = _revalidate(client, ORDERS, headers, etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["data"][0]["status"] == "paid"


@pytest.mark.parametrize("garbage", ['"', "xyz", "W/", ",,,", '"' + "a" * 5000 + '"', "\x7f"])
def test_if_none_match_garbage_gets_the_full_answer(client, customer, garbage):
    _, headers = customer
    client.post(ORDERS, json=order_body((product(), 1)), headers=headers)
    resp = client.get(ORDERS, headers={**headers, "If-None-Match": garbage})
    assert resp.status_code == 200 and len(resp.get_json()["data"]) == 1


def test_a_list_304_renders_no_body(client, customer, monkeypatch):
    """The validator comes from the rows a page read: a 304 never builds the JSON."""
    from api.orders import routes

    _, headers = customer
    client.post(ORDERS, json=order_body((product(), 1)), headers=headers)
    etag = client.get(ORDERS, headers=headers).headers["ETag"]

    def refuse(page):
        raise AssertionError("rendered a page for a 304")

    monkeypatch.setattr(routes, "page_json", refuse)
    assert _revalidate(client, ORDERS, headers, etag).status_code == 304


def test_order_detail_gets_an_etag_and_304(client, customer):
    _, headers = customer
    placed = client.post(ORDERS, json=order_body((product(), 1)), headers=headers).get_json()
    url = f"{ORDERS}/{placed['id']}"
    resp = client.get(url, headers=headers)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "private, no-store"
    assert _revalidate(client, url, headers, resp.headers["ETag"]).status_code == 304
    with unit_of_work():
        orders.cancel(placed["id"], actor=Actor(kind="staff", label="support"), reason="x")
    assert _revalidate(client, url, headers, resp.headers["ETag"]).status_code == 200


def test_public_catalogue_may_be_stored_by_shared_caches(client, factories):
    writer = bearer(factories.api_key(("catalog:write",))[1])
    item = factories.product(name="Lamp")
    for url in (PRODUCTS, f"{PRODUCTS}/{item.id}", "/api/v1/categories"):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "public, no-cache", url
        assert "Authorization" in resp.headers["Vary"]
        assert _revalidate(client, url, {}, resp.headers["ETag"]).status_code == 304, url
    # A partner with catalog:write also sees inactive products: that answer is theirs.
    resp = client.get(PRODUCTS, headers=writer)
    assert resp.headers["Cache-Control"] == "private, no-cache"
    assert _revalidate(client, PRODUCTS, writer, resp.headers["ETag"]).status_code == 304


def test_catalogue_list_etag_follows_every_write(client, factories):
    from app.catalog import service as catalog

    item = factories.product(name="Lamp", price_amount=1000)
    etag = client.get(PRODUCTS).headers["ETag"]
    with unit_of_work():
        catalog.update_product(item.id, {"price_amount": 1200}, actor=Actor.system("tests"))
    resp = _revalidate(client, PRODUCTS, {}, etag)
    assert resp.status_code == 200 and resp.get_json()["data"][0]["price_amount"] == 1200


def test_redis_cached_catalogue_answers_304_from_the_cache(redis_client, factories,
                                                           query_counter):
    item = factories.product(name="Lamp")
    etag = redis_client.get(PRODUCTS).headers["ETag"]
    assert redis_client.get(PRODUCTS).headers["ETag"] == etag  # a cache hit: same tag
    with query_counter() as counted:
        assert _revalidate(redis_client, PRODUCTS, {}, etag).status_code == 304
    assert counted.count == 0
    from app.catalog import service as catalog
    with unit_of_work():
        catalog.deactivate([item.id], actor=Actor.system("tests"))
    resp = _revalidate(redis_client, PRODUCTS, {}, etag)
    assert resp.status_code == 200 and resp.get_json()["data"] == []


def test_writes_tokens_and_errors_are_never_stored(client, factories):
    user = factories.user()
    resp = client.post("/api/v1/auth/login", json={"email": user.email, "password": "x" * 12})
    assert resp.headers["Cache-Control"] == "no-store"  # a failed login
    tokens = client.post("/api/v1/auth/login",
                         json={"email": user.email, "password": factories.PASSWORD})
    assert tokens.status_code == 200 and tokens.headers["Cache-Control"] == "no-store"
    assert "ETag" not in tokens.headers
    missing = client.get(f"{ORDERS}/00000000-0000-0000-0000-000000000000",
                         headers=bearer(tokens.get_json()["access_token"]))
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"


def test_users_me_revalidates(client, customer):
    _, headers = customer
    resp = client.get("/api/v1/users/me", headers=headers)
    assert resp.status_code == 200 and resp.headers["ETag"]
    assert resp.headers["Cache-Control"] == "private, no-store"
    assert _revalidate(client, "/api/v1/users/me", headers, resp.headers["ETag"]).status_code == 304
