"""Read side of the catalogue: product lists with search, filters, sorting and pages.

One statement per page (two for an empty one), whatever the page size, filters or depth:
the total is a scalar subquery (a window count for a search), the category subtree a recursive CTE inside the same
query, and rows are plain column tuples, FIELDS first, so nothing is lazy-loaded per
row. Statements are built once per shape of query (which filters, which sort) and run
with bound values on the autocommit read engine (a list needs no transaction); on
PostgreSQL compiled once and run on the driver.
"""
from __future__ import annotations

import functools
from collections import namedtuple
from dataclasses import dataclass

from sqlalchemy import Integer, String, bindparam, func, select

from app.catalog import search
from app.catalog.models import Category, Product
from app.core.readonly import all_rows, first, for_driver, read_engine
from app.core.types import UUID, as_uuid

SORTS = ("relevance", "name", "price", "-price", "newest")
MAX_PAGE_SIZE = 100
COLUMNS = tuple(Product.__table__.c)
FIELDS = tuple(c.key for c in COLUMNS)  # a row's values, in order; same names as Product's
ProductRow = namedtuple("ProductRow", FIELDS + ("total",))


@dataclass(frozen=True)
class Page:
    items: list  # ProductRow tuples (ids as text on PostgreSQL); read-only
    total: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def _subtree(by_id: bool):
    """Ids of the category (bound ``category``, by id or slug) and all its descendants,
    as a subquery."""
    anchor_where = Category.id == bindparam("category", type_=UUID) if by_id \
        else Category.slug == bindparam("category", type_=String)
    tree = select(Category.id).where(anchor_where).cte("category_tree", recursive=True)
    child = select(Category.id).join(tree, Category.parent_id == tree.c.id)
    tree = tree.union(child)  # UNION, not UNION ALL: terminates even on a corrupt cycle
    return select(tree.c.id)


def _order(sort: str, rank):
    if sort == "relevance" and rank is not None:
        expr, descending = rank
        return [expr.desc() if descending else expr.asc(), Product.name, Product.id]
    if sort == "price":
        return [Product.price_amount.asc(), Product.id]
    if sort == "-price":
        return [Product.price_amount.desc(), Product.id]
    if sort == "newest":
        return [Product.created_at.desc(), Product.id.desc()]
    return [Product.name.asc(), Product.id]


@dataclass(frozen=True)
class _Shape:
    """Which SQL a list needs; the values travel separately as bound parameters."""
    active_only: bool
    category: str | None  # "id" or "slug"
    min_price: bool
    max_price: bool
    in_stock: bool | None
    currency: bool
    search: tuple | None
    sort: str
    dialect: str


@functools.lru_cache(maxsize=256)
def _statements(shape: _Shape):
    """(page, count) statements of a shape, built once: a statement object is reused
    with new parameters, so SQLAlchemy neither rebuilds it nor recomputes its cache key."""
    where = []
    if shape.active_only:
        where.append(Product.active.is_(True))
    if shape.category:
        where.append(Product.category_id.in_(_subtree(shape.category == "id")))
    if shape.min_price:
        where.append(Product.price_amount >= bindparam("min_price", type_=Integer))
    if shape.max_price:
        where.append(Product.price_amount <= bindparam("max_price", type_=Integer))
    if shape.in_stock is True:
        where.append(Product.stock_on_hand > 0)
    elif shape.in_stock is False:
        where.append(Product.stock_on_hand <= 0)
    if shape.currency:
        where.append(Product.currency == bindparam("currency", type_=String))
    rank = None
    if shape.search is not None:
        condition, rank_expr, descending = search.expressions(shape.search)
        where.append(condition)
        rank = (rank_expr, descending)
    order = _order(shape.sort, rank)
    # A deferred join: the offset is skipped over ids alone (index-only on PostgreSQL),
    # and only the page's own rows are read whole. The total rides along as a scalar
    # subquery, so a page is one round trip.
    count = select(func.count()).select_from(Product).where(*where)
    if shape.search is None:
        total = count.scalar_subquery()
        ids = select(Product.id)
    else:
        # Every match is read and ranked before the first row comes out anyway: count
        # them in that same pass instead of a second scan of the matches.
        total = None
        ids = select(Product.id, func.count().over().label("total"))
    ids = (ids.where(*where).order_by(*order).limit(bindparam("limit", type_=Integer))
           .offset(bindparam("offset", type_=Integer)).subquery("page_ids"))
    columns = [for_driver(c, shape.dialect) for c in COLUMNS]
    page = (select(*columns, (ids.c.total if total is None else total).label("total"))
            .join(ids, ids.c.id == Product.id).order_by(*order))
    return page, count


def list_products(*, q: str | None = None, category: str | None = None,
                  min_price: int | None = None, max_price: int | None = None,
                  in_stock: bool | None = None, currency: str | None = None,
                  sort: str | None = None, page: int = 1, page_size: int = 20,
                  include_inactive: bool = False) -> Page:
    page = max(int(page), 1)
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    engine = read_engine()  # autocommit: a list needs no transaction to end
    search_shape, params = search.spec(q, engine.dialect.name)
    category_id = as_uuid(category) if category else None
    shape = _Shape(active_only=not include_inactive,
                   category=("id" if category_id else "slug") if category else None,
                   min_price=min_price is not None, max_price=max_price is not None,
                   in_stock=in_stock, currency=bool(currency), search=search_shape,
                   sort=sort if sort in SORTS else "relevance", dialect=engine.dialect.name)
    params.update(category=category_id or category, min_price=min_price,
                  max_price=max_price, currency=currency,
                  limit=page_size, offset=(page - 1) * page_size)
    page_stmt, count_stmt = _statements(shape)
    rows = [ProductRow._make(row) for row in all_rows(page_stmt, params)]
    # Past the end the page is empty, and the total needs its own statement.
    total = rows[0].total if rows else first(count_stmt, params)[0]
    return Page(rows, total, page, page_size)
