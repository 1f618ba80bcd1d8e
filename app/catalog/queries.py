"""Read side of the catalogue: product lists with search, filters, sorting and pages.

Pages by number, or by cursor: the sort key of the last row seen, from which the next
page seeks in an index (keyset), so a cursor's page costs what the first page costs. The
exact total is counted only when asked for (Stripe's lists have none); ``has_more``
comes from reading one row more than the page.

One statement per page (two for an empty page with a total), whatever the page size,
filters or depth: the total is a scalar subquery (a window count for a search), the
category subtree a recursive CTE inside the same query, and rows are plain column tuples,
so nothing is lazy-loaded per row. Statements are built once per shape of query (which
filters, which sort) and run with bound values on the autocommit read engine (a list
needs no transaction); on PostgreSQL compiled once and run on the driver.
"""
from __future__ import annotations

import functools
import uuid
from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Float, Integer, String, and_, bindparam, cast, func, null, or_, select, tuple_,
)

from app.catalog import search
from app.catalog.models import Category, Product
from app.core import keyset
from app.core.errors import InvalidInput
from app.core.readonly import all_rows, first, for_driver, read_engine
from app.core.types import UUID, as_uuid

SORTS = ("relevance", "name", "price", "-price", "newest")
MAX_PAGE_SIZE = 100
COLUMNS = tuple(Product.__table__.c)
FIELDS = tuple(c.key for c in COLUMNS)  # a row's values, in order; same names as Product's
# total: None unless asked for; rank: a search's relevance (None without q), for cursors.
ProductRow = namedtuple("ProductRow", FIELDS + ("total", "rank"))


@dataclass(frozen=True)
class Page:
    items: list  # ProductRows (ids as text on PostgreSQL)
    total: int | None  # only when asked for: counting every match costs more than a page
    page: int | None  # None for a page reached by cursor
    page_size: int
    next_cursor: str | None  # None on the last page

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


def _subtree(by_id: bool):
    """Ids of the category (bound ``category``, by id or slug) and all its descendants,
    as a subquery."""
    anchor_where = Category.id == bindparam("category", type_=UUID) if by_id \
        else Category.slug == bindparam("category", type_=String)
    tree = select(Category.id).where(anchor_where).cte("category_tree", recursive=True)
    child = select(Category.id).join(tree, Category.parent_id == tree.c.id)
    tree = tree.union(child)  # UNION, not UNION ALL: terminates even on a corrupt cycle
    return select(tree.c.id)


# A sort's key: (row field, descending?) in order, id last so that the order is total;
# the directions of the indexes (name, id) and (price, id), read forwards or backwards.
KEYS = {
    "name": (("name", False), ("id", False)),
    "price": (("price_amount", False), ("id", False)),
    "-price": (("price_amount", True), ("id", True)),
    "newest": (("created_at", True), ("id", True)),
    "relevance": (("rank", True), ("name", False), ("id", False)),
}


def _keys(sort: str, rank) -> list[tuple]:
    """(expression, descending) of each key of ``sort``."""
    exprs = {"name": Product.name, "price_amount": Product.price_amount,
             "created_at": Product.created_at, "id": Product.id, "rank": rank}
    return [(exprs[field], descending) for field, descending in KEYS[sort]]


def _after(keys: list[tuple], first: int = 0):
    """Rows past the cursor's sort key (bound ``k<first>``, ``k<first+1>``, ...). Keys of
    one direction are one row-value comparison, which PostgreSQL seeks to in an index; a
    change of direction (relevance) needs an OR, applied to the ranked matches."""
    run = 1
    while run < len(keys) and keys[run][1] == keys[0][1]:
        run += 1
    left = [expr for expr, _ in keys[:run]]
    right = [_bound(f"k{first + i}", expr) for i, expr in enumerate(left)]
    left, right = (left[0], right[0]) if run == 1 else (tuple_(*left), tuple_(*right))
    beyond = left < right if keys[0][1] else left > right
    if run == len(keys):
        return beyond
    return or_(beyond, and_(left == right, _after(keys[run:], first + run)))


def _bound(name: str, expr):
    # A float key (ts_rank) goes through text exactly: cast so the comparison is float8.
    param = bindparam(name, type_=expr.type)
    return cast(param, Float(53)) if isinstance(expr.type, Float) else param


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
    sort: str  # one of KEYS
    after: bool  # a cursor's page
    skips: bool  # a numbered page after the first
    total: bool
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
        condition, rank = search.expressions(shape.search)
        where.append(condition)
    count = select(func.count()).select_from(Product).where(*where)
    keys = _keys(shape.sort, rank)
    order = [expr.desc() if descending else expr.asc() for expr, descending in keys]
    rank_column = (rank if rank is not None else null()).label("rank")
    if shape.total and rank is not None:
        # A search reads and ranks every match before its first row anyway: count them
        # in that same pass (a window) rather than in a second scan.
        total = func.count().over()
    elif shape.total:
        total = count.scalar_subquery()  # in the same round trip
    else:
        total = null()
    found = [*where, *([_after(keys)] if shape.after else [])]
    columns = [for_driver(c, shape.dialect) for c in COLUMNS]
    if not shape.skips:
        # From the first row or a cursor: one index range (or the ranked matches), read
        # in order and stopped at the limit.
        page = (select(*columns, total.label("total"), rank_column).where(*found)
                .order_by(*order).limit(bindparam("limit", type_=Integer)))
        return page, count
    # A deferred join: the offset is skipped over ids alone (index-only on PostgreSQL),
    # and only the page's own rows are read whole.
    ids = (select(Product.id, rank_column, total.label("total")).where(*found)
           .order_by(*order).limit(bindparam("limit", type_=Integer))
           .offset(bindparam("offset", type_=Integer)).subquery("page_ids"))
    page = (select(*columns, ids.c.total, ids.c.rank)
            .join(ids, ids.c.id == Product.id).order_by(*order))
    return page, count


def _cursor(sort: str, row) -> str:
    return keyset.encode([sort, *(_json_value(getattr(row, field))
                                  for field, _ in KEYS[sort])])


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime) else \
        str(value) if isinstance(value, uuid.UUID) else value


def _cursor_params(cursor: str, sort: str) -> dict:
    """The bound sort key of a cursor from ``_cursor``, for a list in the same order."""
    values = keyset.decode(cursor)
    if not values or values[0] != sort or len(values) != len(KEYS[sort]) + 1:
        raise keyset.malformed()
    try:
        return {f"k{i}": _KEY_TYPES[field](value)
                for i, ((field, _), value) in enumerate(zip(KEYS[sort], values[1:]))}
    except (ValueError, TypeError, AttributeError):
        raise keyset.malformed() from None


def _exact(kind):
    def check(value):
        if type(value) not in kind:  # bool is not an int here, nor an int a str
            raise TypeError(value)
        return value
    return check


_KEY_TYPES = {"name": _exact((str,)), "price_amount": _exact((int,)),
              "created_at": keyset.aware, "id": uuid.UUID, "rank": _exact((float, int))}


def list_products(*, q: str | None = None, category: str | None = None,
                  min_price: int | None = None, max_price: int | None = None,
                  in_stock: bool | None = None, currency: str | None = None,
                  sort: str | None = None, page: int | None = None,
                  cursor: str | None = None, page_size: int = 20,
                  include_total: bool = False, include_inactive: bool = False) -> Page:
    """A page by number (``page``, from 1) or after the last row of the one before
    (``cursor``: the ``next_cursor`` of that page, same query). A cursor's page costs
    what the first page costs at any depth; a numbered page walks past those before."""
    if cursor and page is not None:
        raise InvalidInput("Use either page or cursor, not both.",
                           errors={"cursor": ["Not allowed with page."]})
    page = None if cursor else max(int(page or 1), 1)
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    engine = read_engine()  # autocommit: a list needs no transaction to end
    search_shape, params = search.spec(q, engine.dialect.name)
    sort = sort if sort in SORTS else "relevance"
    if sort == "relevance" and search_shape is None:
        sort = "name"  # nothing to rank by
    category_id = as_uuid(category) if category else None
    shape = _Shape(active_only=not include_inactive,
                   category=("id" if category_id else "slug") if category else None,
                   min_price=min_price is not None, max_price=max_price is not None,
                   in_stock=in_stock, currency=bool(currency), search=search_shape,
                   sort=sort, after=bool(cursor), skips=bool(page and page > 1),
                   total=include_total, dialect=engine.dialect.name)
    params.update(category=category_id or category, min_price=min_price,
                  max_price=max_price, currency=currency, limit=page_size + 1,
                  offset=(page - 1) * page_size if page else 0)
    if cursor:
        params.update(_cursor_params(cursor, sort))
    page_stmt, count_stmt = _statements(shape)
    # The public list tolerates replication lag: from the read replica when there is one.
    rows = all_rows(page_stmt, params, replica=True)
    more = len(rows) > page_size
    rows = [ProductRow._make(r) for r in rows[:page_size]]
    total = None
    if include_total:
        # Past the end the page is empty, and the total needs its own statement.
        total = rows[0].total if rows else first(count_stmt, params, replica=True)[0]
    return Page(rows, total, page, page_size, _cursor(sort, rows[-1]) if more else None)
