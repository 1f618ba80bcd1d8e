"""Read side of orders: one statement per page (one snapshot), the same on both databases.

A page is the page's orders (newest first, by keyset on (created_at, id)) joined with
their lines: one row per line, in position order; an order without lines yields one row
with the line's values null. Nothing is kept between requests: what is read is what is
stored at that moment, whatever wrote it (a service, a data fix, an erasure).

Statements are built once per combination of filters and reused with new values (on
PostgreSQL compiled once and run on the driver), on the autocommit read engine. Rows are
tuples, never ORM objects.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, bindparam, cast, exists, select

from app.core import keyset
from app.core.errors import InvalidInput
from app.core.readonly import all_rows, for_driver, read_engine
from app.core.types import UUID, UTCDateTime, as_uuid
from app.orders import rules
from app.orders.models import Order, OrderLine

ORDER_FIELDS = ("id", "number", "customer_id", "status", "currency", "tax_inclusive",
                "subtotal_amount", "tax_amount", "total_amount", "tax_breakdown", "tax_date", "country",
                "shipping_address", "billing_address", "created_at", "updated_at", "paid_at",
                "fulfilled_at", "cancelled_at", "payment_reference", "under_review")
LINE_FIELDS = ("product_id", "sku", "name", "tax_category", "unit_price_amount", "quantity",
               "line_total_amount", "tax_rate", "net_amount", "tax_amount", "gross_amount")
# Stored JSON, read as its text: an adapter passes it through without parsing it.
JSON_FIELDS = ("tax_breakdown", "shipping_address", "billing_address")
_FILTERS = ("order_id", "customer_id", "status", "created_from", "created_to")
_WIDTH = len(ORDER_FIELDS)


@dataclass(frozen=True)
class OrderPage:
    """``orders``: per order, (its row of ORDER_FIELDS, its lines as rows of LINE_FIELDS),
    newest first. Ids are text on PostgreSQL and UUIDs on SQLite; JSON_FIELDS are text."""
    orders: list
    next_cursor: str | None


def list_orders(*, customer_id=None, status: str | None = None, created_from=None,
                created_to=None, cursor: str | None = None, limit: int = 50) -> OrderPage:
    """Newest first, by keyset on (created_at, id): page 1000 costs what page 1 costs."""
    if status and status not in rules.TRANSITIONS:
        raise InvalidInput("Unknown status.", errors={"status": [f"One of {', '.join(rules.TRANSITIONS)}."]})
    if customer_id is not None and as_uuid(customer_id) is None:
        return OrderPage([], None)  # nobody's orders, never everybody's
    limit = keyset.clamp(limit)
    found = _read(customer_id=as_uuid(customer_id), status=status, created_from=created_from,
                  created_to=created_to, **keyset.params(cursor, limit))
    orders, next_cursor = keyset.split(found, limit, key=_cursor_key)
    return OrderPage(orders, next_cursor)


def get_order(order_id, *, customer_id=None) -> tuple | None:
    """(row, lines) of one order, as a page holds it; None when there is no such order or,
    with ``customer_id``, when it is somebody else's."""
    ident = as_uuid(order_id)
    if ident is None or (customer_id is not None and as_uuid(customer_id) is None):
        return None
    found = _read(order_id=ident, customer_id=as_uuid(customer_id), limit=1)
    return found[0] if found else None


def _read(**values) -> list:
    shape = tuple(values.get(name) is not None for name in _FILTERS) + ("cursor_at" in values,)
    rows = all_rows(_page_statement(shape, read_engine().dialect.name), values)
    orders: list = []
    last = None
    for row in rows:
        if row[0] != last:
            last = row[0]
            lines: list = []
            orders.append((row[:_WIDTH], lines))
        if row[_WIDTH] is not None:
            lines.append(row[_WIDTH:])
    return orders


def _cursor_key(order) -> tuple:
    row = order[0]
    created_at = row[_CREATED]  # datetime; only the last row's is ever used
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at)
    return created_at, row[0]


_CREATED = ORDER_FIELDS.index("created_at")


def _under_review():
    """Whether a person is reviewing the order (app.fraud): a subquery in the same
    statement, so an order and its flag are one snapshot. Nothing else of screening."""
    from app.fraud.models import FraudReview

    return (exists().where(FraudReview.order_id == Order.id, FraudReview.status == "open")
            .label("under_review"))


@functools.lru_cache(maxsize=128)
def _page_statement(shape: tuple, dialect: str):
    one, customer, status, created_from, created_to, after_cursor = shape
    stmt = select(*(Order.__table__.c[f] for f in ORDER_FIELDS if f != "under_review"),
                  _under_review())
    if one:
        stmt = stmt.where(Order.id == bindparam("order_id", type_=UUID))
    if customer:
        stmt = stmt.where(Order.customer_id == bindparam("customer_id", type_=UUID))
    if status:
        stmt = stmt.where(Order.status == bindparam("status", type_=String))
    if created_from:
        stmt = stmt.where(Order.created_at >= bindparam("created_from", type_=UTCDateTime()))
    if created_to:
        stmt = stmt.where(Order.created_at < bindparam("created_to", type_=UTCDateTime()))
    if after_cursor:
        stmt = stmt.where(keyset.after(Order))
    page = keyset.newest_first(stmt, Order).subquery("page")
    line_columns = [cast(OrderLine.tax_rate, Text).label("tax_rate") if f == "tax_rate"
                    and dialect == "postgresql" else for_driver(getattr(OrderLine, f), dialect)
                    for f in LINE_FIELDS]
    # The page's orders, then their lines: the limit applies to orders, not to lines.
    columns = [cast(page.c[f], Text).label(f) if f in JSON_FIELDS else for_driver(page.c[f], dialect)
               for f in ORDER_FIELDS]
    return (select(*columns, *line_columns)
            .outerjoin(OrderLine, OrderLine.order_id == page.c.id)
            .order_by(page.c.created_at.desc(), page.c.id.desc(), OrderLine.position))
