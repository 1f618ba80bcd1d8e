"""Catalogue services: validation rules, writes with audit and events, bulk upsert (all
or nothing, per-row report, constant statements), list filters and search on both
backends (PostgreSQL full text, SQLite LIKE)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text

from app.audit.models import AuditEntry
from app.catalog import service as catalog
from app.catalog.models import Product
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.events.models import OutboxEvent
from app.extensions import db

ACTOR = Actor.system("test")
# A fixed id no row has: parameters are collected once per pytest-xdist worker, and
# every worker must collect the same ids.
UNKNOWN_ID = "5f0c1a52-0000-4000-8000-00000000dead"


def _count(model=Product) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.occurred_at)))


def _events(event_type: str) -> list[OutboxEvent]:
    return list(db.session.scalars(select(OutboxEvent).where(OutboxEvent.type == event_type)))


# -- single writes -----------------------------------------------------------------------

def test_create_product_applies_defaults_audits_and_publishes(app):
    product = catalog.create_product({"sku": "ABC-1.x_y", "name": "  Mug  ", "price_amount": 0,
                                      "currency": "EUR"}, actor=ACTOR)
    assert (product.name, product.description, product.tax_category, product.active,
            product.stock_on_hand) == ("Mug", "", "standard", True, 0)
    [entry] = _audit("product.create")
    assert entry.target_id == str(product.id) and entry.after["sku"] == "ABC-1.x_y"
    assert [e.payload["product_id"] for e in _events("product.created")] == [str(product.id)]


BAD_FIELDS = [
    ("sku", ""), ("sku", "has space"), ("sku", "x" * 65), ("sku", "a/b"), ("sku", 12),
    ("name", "   "), ("name", None), ("name", "n" * 201),
    ("price_amount", -1), ("price_amount", 10**9), ("price_amount", 9.99),
    ("price_amount", True), ("price_amount", "100"),
    ("currency", "eur"), ("currency", "EU"), ("currency", "XXX"), ("currency", None),
    ("tax_category", "luxury"), ("stock_on_hand", -1), ("stock_on_hand", 1.5),
    ("active", "yes"), ("category_id", "not-a-uuid"), ("category_id", UNKNOWN_ID),
    ("image_url", "javascript:alert(1)"), ("description", 5), ("unknown", "x"),
]


@pytest.mark.parametrize("field,value", BAD_FIELDS)
def test_create_product_rejects_bad_fields_and_writes_nothing(app, field, value):
    data = {"sku": "GOOD-1", "name": "Good", "price_amount": 100, "currency": "EUR", field: value}
    with pytest.raises(InvalidInput) as info:
        catalog.create_product(data, actor=ACTOR)
    assert field in info.value.errors and info.value.status == 422
    db.session.rollback()
    assert _count() == 0 and _count(AuditEntry) == 0


def test_required_fields_are_reported_together(app):
    with pytest.raises(InvalidInput) as info:
        catalog.create_product({}, actor=ACTOR)
    assert set(info.value.errors) == {"sku", "name", "price_amount", "currency"}


def test_duplicate_sku_is_a_conflict(app, factories):
    factories.product(sku="DUP-1")
    with pytest.raises(Conflict) as info:
        factories.product(sku="DUP-1")
    assert info.value.status == 409 and "sku" in info.value.errors
    other = factories.product(sku="DUP-2")
    with pytest.raises(Conflict):
        catalog.update_product(other.id, {"sku": "DUP-1"}, actor=ACTOR)


def test_partial_update_audits_changed_keys_only_and_noop_writes_nothing(app, factories):
    product = factories.product(price_amount=1000, name="Lamp")
    catalog.update_product(product.id, {"price_amount": 1200, "name": "Lamp"}, actor=ACTOR)
    [entry] = _audit("product.update")
    assert entry.before == {"price_amount": 1000} and entry.after == {"price_amount": 1200}
    assert [e.payload["changed"] for e in _events("product.updated")] == [["price_amount"]]
    catalog.update_product(product.id, {"price_amount": 1200}, actor=ACTOR)
    assert len(_audit("product.update")) == 1 and len(_events("product.updated")) == 1


def test_replace_requires_a_whole_product_and_resets_omitted_fields(app, factories):
    product = factories.product(description="Old text", stock_on_hand=5, tax_category="reduced")
    with pytest.raises(InvalidInput) as info:
        catalog.update_product(product.id, {"name": "Only a name"}, actor=ACTOR, replace=True)
    assert {"sku", "price_amount", "currency"} <= set(info.value.errors)
    db.session.rollback()
    catalog.update_product(product.id, {"sku": product.sku, "name": "New", "price_amount": 5,
                                        "currency": "USD"}, actor=ACTOR, replace=True)
    product = catalog.get_product(product.id)
    assert (product.description, product.stock_on_hand, product.tax_category,
            product.currency) == ("", 0, "standard", "USD")


def test_set_stock_validates_and_audits(app, factories):
    product = factories.product(stock_on_hand=3)
    catalog.set_stock(product.id, 10, actor=ACTOR)
    assert catalog.get_product(product.id).stock_on_hand == 10
    [entry] = _audit("product.set_stock")
    assert (entry.before, entry.after) == ({"stock_on_hand": 3}, {"stock_on_hand": 10})
    for bad in (-1, "5", 2.5, None):
        with pytest.raises(InvalidInput):
            catalog.set_stock(product.id, bad, actor=ACTOR)
    with pytest.raises(NotFound):
        catalog.set_stock(uuid.uuid4(), 1, actor=ACTOR)


def test_bulk_activate_and_deactivate(app, factories):
    a, b, c = (factories.product() for _ in range(3))
    assert catalog.deactivate([a.id, b.id, str(uuid.uuid4()), "junk"], actor=ACTOR) == 2
    assert catalog.deactivate([a.id], actor=ACTOR) == 0  # already inactive: no-op
    assert len(_audit("product.deactivate")) == 2
    with pytest.raises(NotFound):
        catalog.get_product(a.id)  # hidden from the public
    assert catalog.get_product(a.id, include_inactive=True).active is False
    assert catalog.activate([a.id, b.id, c.id], actor=ACTOR) == 2
    assert catalog.get_product(a.id).active is True


def test_category_tree_rules(app, factories):
    root = factories.category("Clothing", slug="clothing")
    child = catalog.create_category("Shoes & Boots", parent_id=root.id, actor=ACTOR)
    assert child.slug == "shoes-boots" and child.parent_id == root.id
    with pytest.raises(Conflict):
        catalog.create_category("Clothing", actor=ACTOR)
    with pytest.raises(InvalidInput) as info:
        catalog.create_category("X", parent_id=uuid.uuid4(), actor=ACTOR)
    assert "parent_id" in info.value.errors
    with pytest.raises(InvalidInput):
        catalog.create_category("  ", actor=ACTOR)
    assert [c.slug for c in catalog.list_categories()] == ["clothing", "shoes-boots"]


# -- bulk upsert -------------------------------------------------------------------------

def test_bulk_upsert_creates_updates_and_skips_unchanged(app, factories):
    kept = factories.product(sku="BULK-00000", name="Bulk product 0", price_amount=100,
                             description="keep me")
    changed = factories.product(sku="BULK-00001", name="Old name", price_amount=1)
    rows = factories.product_rows(5)
    result = catalog.bulk_upsert_by_sku(rows, actor=ACTOR)
    assert result.counts() == {"created": 3, "updated": 1, "unchanged": 1}
    assert result.updated == ["BULK-00001"] and result.unchanged == ["BULK-00000"]
    db.session.expire_all()
    assert db.session.get(Product, changed.id).name == "Bulk product 1"
    assert db.session.get(Product, kept.id).description == "keep me"  # omitted: kept
    [entry] = _audit("catalog.bulk_upsert")
    assert entry.after["created"] == 3 and entry.after["updated_skus"] == ["BULK-00001"]
    [event] = _events("catalog.bulk_upserted")
    assert event.payload["created"] == 3 and len(event.payload["product_ids"]) == 4


def test_bulk_upsert_is_all_or_nothing_with_a_per_row_report(app, factories):
    existing = factories.product(sku="BULK-00000", price_amount=7)
    rows = factories.product_rows(6)
    rows[1]["price_amount"] = -5
    rows[3].update(currency="eur", bogus=1)
    rows[4]["sku"] = "BULK-00002"  # duplicate of row 2
    rows[5]["category_id"] = str(uuid.uuid4())
    with pytest.raises(InvalidInput) as info:
        catalog.bulk_upsert_by_sku(rows, actor=ACTOR)
    report = info.value.errors["rows"]
    assert set(report) == {"1", "3", "4", "5"}
    assert list(report["1"]) == ["price_amount"]
    assert set(report["3"]) == {"currency", "bogus"}
    assert "row 2" in report["4"]["sku"][0]
    assert report["5"] == {"category_id": ["Unknown category."]}
    db.session.rollback()
    assert _count() == 1 and db.session.get(Product, existing.id).price_amount == 7
    assert _audit("catalog.bulk_upsert") == []


@pytest.mark.parametrize("rows", [[], "nope", [1, 2], None])
def test_bulk_upsert_rejects_malformed_batches(app, rows):
    with pytest.raises(InvalidInput):
        catalog.bulk_upsert_by_sku(rows, actor=ACTOR)


def test_bulk_upsert_limit(app, factories):
    with pytest.raises(InvalidInput) as info:
        catalog.bulk_upsert_by_sku(factories.product_rows(5001), actor=ACTOR)
    assert "products" in info.value.errors


def test_bulk_upsert_runs_a_constant_number_of_statements(app, factories, query_counter):
    counts = []
    for size, prefix in ((20, "S"), (2000, "L")):
        factories.product_rows(size, prefix=prefix)
        catalog.bulk_upsert_by_sku(factories.product_rows(size // 2, prefix=prefix), actor=ACTOR)
        rows = factories.product_rows(size, prefix=prefix, price_amount=5)  # half new, half updated
        with query_counter() as counted:
            result = catalog.bulk_upsert_by_sku(rows, actor=ACTOR)
        assert result.counts() == {"created": size // 2, "updated": size // 2, "unchanged": 0}
        counts.append(counted.count)
    # insertmanyvalues batches inserts by 1000 rows on SQLite's parameter budget; allow that
    # but nothing per row: 2000 rows may not cost more than a few statements over 20.
    assert counts[1] - counts[0] <= 3, counts
    assert _count() == 2020


# -- listing and search ------------------------------------------------------------------

@pytest.fixture
def shop(app, factories):
    clothing = factories.category("Clothing", slug="clothing")
    shoes = factories.category("Shoes", slug="shoes", parent=clothing)
    books = factories.category("Books", slug="books")
    p = {}
    p["runner"] = factories.product(sku="SHOE-RUN", name="Trail running shoes", category=shoes,
                                    price_amount=8990, stock_on_hand=5,
                                    description="Light shoes for muddy trails")
    p["derby"] = factories.product(sku="SHOE-DERBY", name="Leather derby", category=shoes,
                                   price_amount=12900, stock_on_hand=0,
                                   description="Formal shoes, running late? Not these.")
    p["tee"] = factories.product(sku="TEE-1", name="Cotton tee", category=clothing,
                                 price_amount=1990, stock_on_hand=50, currency="USD",
                                 description="100% cotton")
    p["book"] = factories.product(sku="BOOK-1", name="Café culture", category=books,
                                  price_amount=2450, stock_on_hand=3,
                                  description="A history of coffee houses")
    p["grinder"] = factories.product(sku="CAF-GRIND-01", name="Coffee grinder",
                                     price_amount=8900, stock_on_hand=2)
    p["hidden"] = factories.product(sku="OLD-1", name="Old running shoes", category=shoes,
                                    price_amount=100, stock_on_hand=1, active=False)
    return p


def _skus(page) -> list[str]:
    return [r.sku for r in page.items]


def test_filters_sorting_and_pages(shop):
    assert set(_skus(catalog.list_products(category="clothing"))) == {
        "SHOE-RUN", "SHOE-DERBY", "TEE-1"}  # descendants included, inactive hidden
    shoes_id = str(catalog.list_products(category="shoes").items[0].category_id)
    assert set(_skus(catalog.list_products(category=shoes_id))) == {"SHOE-RUN", "SHOE-DERBY"}
    assert _skus(catalog.list_products(category="no-such-category")) == []
    assert set(_skus(catalog.list_products(category="shoes", include_inactive=True))) == {
        "SHOE-RUN", "SHOE-DERBY", "OLD-1"}
    assert _skus(catalog.list_products(min_price=2000, max_price=9000, sort="price")) == [
        "BOOK-1", "CAF-GRIND-01", "SHOE-RUN"]
    assert _skus(catalog.list_products(in_stock=False)) == ["SHOE-DERBY"]
    assert _skus(catalog.list_products(currency="USD")) == ["TEE-1"]
    assert _skus(catalog.list_products(sort="-price"))[0] == "SHOE-DERBY"
    assert _skus(catalog.list_products(sort="newest"))[0] == "CAF-GRIND-01"
    assert _skus(catalog.list_products())[0] == "BOOK-1"  # default without q: by name
    page = catalog.list_products(sort="name", page=2, page_size=2, include_total=True)
    assert (page.total, page.page, len(page.items), page.has_more) == (5, 2, 2, True)
    assert catalog.list_products(sort="name", page=2, page_size=2).total is None  # not asked
    last = catalog.list_products(sort="name", page=3, page_size=2, include_total=True)
    assert (len(last.items), last.has_more, last.next_cursor, last.total) == (1, False, None, 5)
    assert catalog.list_products(page=99).items == []
    assert catalog.list_products(page_size=10_000).page_size == 100


@pytest.mark.parametrize("sort", ["name", "price", "-price", "newest"])
def test_every_page_is_the_matching_slice_of_the_whole_list(shop, factories, sort):
    """Pages skip over ids alone and fetch the page's rows after (a deferred join): every
    page, in every order and with the total alongside, is the slice of the full list."""
    for n in range(7):
        factories.product(sku=f"EXTRA-{n}", name=f"Extra {n % 3}", price_amount=1000 + n % 2)
    whole = _skus(catalog.list_products(sort=sort, page_size=100))
    pages = [catalog.list_products(sort=sort, page=n, page_size=3, include_total=True)
             for n in range(1, 6)]
    assert [sku for page in pages for sku in _skus(page)] == whole
    assert {page.total for page in pages} == {len(whole)}
    assert catalog.list_products(sort=sort, page=40, page_size=3, include_total=True
                                 ).total == len(whole)


def _walk(page_size: int, cursor: str | None = None, **query) -> list[list[str]]:
    """Every page of a list, following next_cursor from the first (or from ``cursor``)."""
    page = catalog.list_products(page_size=page_size, cursor=cursor, **query)
    pages = [_skus(page)]
    while page.next_cursor:
        page = catalog.list_products(page_size=page_size, cursor=page.next_cursor, **query)
        assert page.page is None
        pages.append(_skus(page))
    return pages


@pytest.mark.parametrize("sort", ["name", "price", "-price", "newest"])
def test_cursor_pages_are_the_slices_of_the_whole_list(shop, factories, sort):
    """Ties on the sort key (same name, same price) are broken by id, so a cursor neither
    skips nor repeats a row; a numbered page's next_cursor continues it."""
    for n in range(7):
        factories.product(sku=f"EXTRA-{n}", name=f"Extra {n % 3}", price_amount=1000 + n % 2)
    whole = _skus(catalog.list_products(sort=sort, page_size=100))
    pages = _walk(3, sort=sort)
    assert [sku for page in pages for sku in page] == whole
    assert all(len(page) == 3 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 3
    second = catalog.list_products(sort=sort, page=2, page_size=3)
    after = catalog.list_products(sort=sort, cursor=second.next_cursor, page_size=3)
    assert _skus(after) == pages[2]


def test_cursor_pages_of_a_search_follow_the_ranking(shop, factories):
    for n in range(5):
        factories.product(sku=f"RUN-{n}", name=f"Running kit {n % 2}",
                          description="running" * (n + 1))
    whole = _skus(catalog.list_products(q="running", page_size=100))
    assert len(whole) >= 7
    assert [sku for page in _walk(2, q="running") for sku in page] == whole
    filtered = _walk(2, q="running", max_price=5000)
    assert [sku for page in filtered for sku in page] == _skus(
        catalog.list_products(q="running", max_price=5000, page_size=100))


def test_a_cursor_sees_writes_behind_it_and_ahead(shop, factories):
    """A cursor is a position in the order, not a snapshot: a product added ahead of it
    shows on a later page, and deleting the row it came from loses nothing."""
    first = catalog.list_products(sort="name", page_size=2)
    assert _skus(first) == ["BOOK-1", "CAF-GRIND-01"]
    factories.product(sku="ZED-1", name="Zebra rug")
    db.session.delete(shop["grinder"])
    db.session.commit()
    rest = _walk(2, sort="name", cursor=first.next_cursor)
    assert [sku for page in rest for sku in page] == ["TEE-1", "SHOE-DERBY", "SHOE-RUN", "ZED-1"]


def _forged(values) -> str:
    import base64
    import json
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


@pytest.mark.parametrize("cursor", [
    "not-a-cursor", "%%%", "W10", _forged({"a": 1}), _forged([]), _forged(["name"]),
    _forged(["price", 10, UNKNOWN_ID]),  # another sort's cursor
    _forged(["name", 5, UNKNOWN_ID]), _forged(["name", "A", "not-a-uuid"]),
    _forged(["name", "A", UNKNOWN_ID, "extra"]), _forged(["name", None, None]),
    _forged(["name", ["A"], UNKNOWN_ID]),
])
def test_malformed_cursors_are_invalid_input(shop, cursor):
    with pytest.raises(InvalidInput) as raised:
        catalog.list_products(sort="name", cursor=cursor)
    assert raised.value.errors == {"cursor": ["Not a cursor from this API."]}


def test_page_and_cursor_together_are_invalid_input(shop):
    cursor = catalog.list_products(sort="name", page_size=1).next_cursor
    with pytest.raises(InvalidInput):
        catalog.list_products(sort="name", page=2, cursor=cursor)


def test_search_finds_by_name_sku_description_and_prefix(shop):
    assert _skus(catalog.list_products(q="running shoes"))[0] == "SHOE-RUN"
    assert "OLD-1" not in _skus(catalog.list_products(q="running shoes"))
    assert _skus(catalog.list_products(q="grind")) == ["CAF-GRIND-01"]  # prefix of grinder
    assert _skus(catalog.list_products(q="CAF-GRIND-01")) == ["CAF-GRIND-01"]
    assert _skus(catalog.list_products(q="muddy")) == ["SHOE-RUN"]
    assert set(_skus(catalog.list_products(q="coffee"))) == {"CAF-GRIND-01", "BOOK-1"}
    assert _skus(catalog.list_products(q="nothing-like-this")) == []


def test_search_ranks_name_matches_first(shop):
    # "running" is in the runner's name and only in the derby's description.
    assert _skus(catalog.list_products(q="running")) == ["SHOE-RUN", "SHOE-DERBY"]
    assert _skus(catalog.list_products(q="coffee"))[0] == "CAF-GRIND-01"


@pytest.mark.parametrize("q", ["café", "CAFÉ", "Café culture"])
def test_search_unicode(shop, q):
    assert _skus(catalog.list_products(q=q)) == ["BOOK-1"]


INJECTIONS = [
    "'; DROP TABLE products; --", "' OR '1'='1", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "%", "_", "%%", "\\",
    "\\%", "a:* & !b | (c", "((((", "!", "'", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀", "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ", "a" * 200,
]


@pytest.mark.parametrize("q", INJECTIONS)
def test_search_text_is_data_never_sql(shop, q):
    page = catalog.list_products(q=q, include_total=True)
    # Nothing in the shop contains these strings; "%" may match the tee ("100% cotton").
    assert set(_skus(page)) <= {"TEE-1"}
    assert page.total == len(page.items)
    db.session.rollback()
    assert _count() == 6  # the table is still there, whole


@pytest.mark.parametrize("q", ["-", "or", "shoes' --", "\"unclosed", "shoes -", "-shoes"])
def test_search_syntax_fragments_are_harmless(shop, q):
    # Results differ by backend (websearch syntax vs substring match); both must answer.
    page = catalog.list_products(q=q, include_total=True)
    assert page.total == len(page.items)
    assert "OLD-1" not in _skus(page)


def test_search_percent_is_literal(shop):
    assert set(_skus(catalog.list_products(q="100%"))) <= {"TEE-1"}
    if db.engine.dialect.name == "sqlite":
        assert _skus(catalog.list_products(q="%")) == ["TEE-1"]  # not "everything"


def test_postgres_search_uses_the_gin_index(pg_app, factories):
    from sqlalchemy.dialects import postgresql

    from app.catalog import search

    factories.product(name="Trail running shoes")
    for q in ("running shoes", "\"running shoes\" -boots"):
        shape, params = search.spec(q, "postgresql")
        where, rank = search.expressions(shape)
        stmt = select(Product.id).where(where).order_by(rank.desc()).params(params)
        sql = str(stmt.compile(dialect=postgresql.dialect(),
                               compile_kwargs={"literal_binds": True}))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text("EXPLAIN " + sql)))
        assert "ix_products_search_vector" in plan, plan
        db.session.rollback()
