"""Product list pages on PostgreSQL keep each product's rendering by row version: they
must equal the schema's dump, follow every write whatever path it takes, and read and
render only the products not seen at their current version."""
from __future__ import annotations

import contextlib

import orjson
import pytest
from sqlalchemy import Engine, event, text, update

from api.products.schemas import ProductListSchema
from api.products.serialize import page_json
from api.products import serialize
from app.catalog import service as catalog
from app.catalog.models import Product
from app.catalog.queries import VersionRow
from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.extensions import db

ACTOR = Actor.system("test")


@pytest.fixture
def fresh_renderings():
    serialize.KEPT.clear()


@contextlib.contextmanager
def _statements():
    """The statements run meanwhile, on every engine (conftest's query_counter is tied to
    the parametrised app)."""
    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def _listed(**query) -> dict:
    return orjson.loads(page_json(catalog.list_products(versions=True, **query)))


def test_versions_page_equals_the_schema_dump(pg_app, factories, fresh_renderings):
    cat = factories.category("Books")
    factories.product(name="Café ☕ <b>bold</b>", description="Ünïcode\nlines", category=cat,
                      image_url="https://img.example/x.png", stock_on_hand=7, currency="JPY")
    factories.product(name="Plain", price_amount=0)
    factories.product(name="Zed", active=False)
    for _ in range(2):  # rendered, then kept
        page = catalog.list_products(versions=True, include_inactive=True, page_size=2,
                                     include_total=True)
        assert page.versions
        products = [db.session.get(Product, VersionRow._make(row).id)
                    for row in page.items]
        expected = ProductListSchema().dump({
            "data": products, "page": 1, "page_size": 2, "total": 3, "has_more": True,
            "next_cursor": page.next_cursor})
        assert orjson.loads(page_json(page)) == expected
        db.session.rollback()


def test_any_write_to_a_row_shows_on_the_next_page(pg_app, factories, fresh_renderings):
    product = factories.product(name="Lamp", price_amount=1000, stock_on_hand=5)
    assert _listed()["data"][0]["price_amount"] == 1000
    with _statements() as seen:
        _listed()
    assert len(seen) == 1  # the page of versions; the rendering was kept

    with unit_of_work():
        catalog.update_product(product.id, {"price_amount": 1200}, actor=ACTOR)
    assert _listed()["data"][0]["price_amount"] == 1200
    # A write outside the service, not touching updated_at, is a new row version too.
    db.session.execute(update(Product).where(Product.id == product.id)
                       .values(stock_on_hand=2, updated_at=Product.updated_at))
    db.session.commit()
    assert _listed()["data"][0]["stock_on_hand"] == 2
    db.session.execute(text("UPDATE products SET name = 'Lamp!' WHERE id = :id"),
                       {"id": product.id})
    db.session.commit()
    with _statements() as seen:
        assert _listed()["data"][0]["name"] == "Lamp!"
    assert len(seen) == 2  # the page, then the one changed product


def test_only_unseen_products_are_read_whole(pg_app, factories, fresh_renderings):
    for n in range(5):
        factories.product(name=f"Item {n}")
    read = []
    original = serialize.current_rows

    def spy(ids):
        read.append(sorted(ids))
        return original(ids)

    serialize.current_rows = spy
    try:
        page_json(catalog.list_products(versions=True, page_size=3, sort="name"))
        page_json(catalog.list_products(versions=True, page_size=5, sort="name"))
    finally:
        serialize.current_rows = original
    assert [len(ids) for ids in read] == [3, 2]


def test_sqlite_pages_are_whole_rows(app, factories):
    factories.product(name="Lamp")
    page = catalog.list_products(versions=True)
    assert page.versions == (db.engine.dialect.name == "postgresql")
    assert orjson.loads(page_json(page))["data"][0]["name"] == "Lamp"
