"""Read side of the catalogue: product lists with search, filters, sorting and pages.

Always two statements (count, page), whatever the page size or filters: the category
subtree is a recursive CTE inside the same query, and rows are plain column tuples, so
nothing is lazy-loaded per row.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.catalog import search
from app.catalog.models import Category, Product
from app.core.types import as_uuid
from app.extensions import db

SORTS = ("relevance", "name", "price", "-price", "newest")
MAX_PAGE_SIZE = 100
COLUMNS = tuple(Product.__table__.c)  # rows expose the same attribute names as Product


@dataclass(frozen=True)
class Page:
    items: list  # rows with Product's attribute names (read-only)
    total: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def _subtree(category: str):
    """Ids of the category (by id or slug) and all its descendants, as a subquery."""
    ident = as_uuid(category)
    anchor_where = Category.id == ident if ident else Category.slug == category
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


def list_products(*, q: str | None = None, category: str | None = None,
                  min_price: int | None = None, max_price: int | None = None,
                  in_stock: bool | None = None, currency: str | None = None,
                  sort: str | None = None, page: int = 1, page_size: int = 20,
                  include_inactive: bool = False) -> Page:
    page = max(int(page), 1)
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    where = []
    if not include_inactive:
        where.append(Product.active.is_(True))
    if category:
        where.append(Product.category_id.in_(_subtree(category)))
    if min_price is not None:
        where.append(Product.price_amount >= min_price)
    if max_price is not None:
        where.append(Product.price_amount <= max_price)
    if in_stock is True:
        where.append(Product.stock_on_hand > 0)
    elif in_stock is False:
        where.append(Product.stock_on_hand <= 0)
    if currency:
        where.append(Product.currency == currency)
    rank = None
    matched = search.match(q) if q else None
    if matched is not None:
        condition, rank_expr, descending = matched
        where.append(condition)
        rank = (rank_expr, descending)

    total = db.session.execute(
        select(func.count()).select_from(Product).where(*where)).scalar_one()
    if total == 0 or (page - 1) * page_size >= total:
        return Page([], total, page, page_size)  # past the end: no second statement needed
    rows = db.session.execute(
        select(*COLUMNS).where(*where).order_by(*_order(sort or "relevance", rank))
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    return Page(rows, total, page, page_size)
