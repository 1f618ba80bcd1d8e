"""Read side of orders: list pages by keyset, as plain rows.

An order splits in two. Its *state* (status and the timestamps that move with it)
changes; everything else (who, what, how much, where to, when placed) is fixed when it
is placed (``app.orders.models`` refuses changes). A page is one statement; on
PostgreSQL it reads each order's row version, and the state of the orders an adapter has
not rendered at that version is read by id (one statement). The fixed parts are read by
id (two statements), and an adapter may keep what it renders of them: they can never go
stale.

Statements are built once per combination of filters and reused with new values (on
PostgreSQL compiled once and run on the driver), on the autocommit read engine. Rows are
tuples, never ORM objects.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, any_, bindparam, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by

from app.core import keyset
from app.core.errors import InvalidInput
from app.core.readonly import all_rows, for_driver, read_engine, row_version
from app.core.types import UUID, UTCDateTime, as_uuid
from app.orders import rules
from app.orders.models import FIXED_COLUMNS, Order, OrderLine

STATE_FIELDS = ("status", "updated_at", "paid_at", "fulfilled_at", "cancelled_at",
                "payment_reference")
_TIMESTAMPS = ("updated_at", "paid_at", "fulfilled_at", "cancelled_at")
FIXED_FIELDS = FIXED_COLUMNS
LINE_FIELDS = ("product_id", "sku", "name", "tax_category", "unit_price_amount", "quantity",
               "line_total_amount", "tax_rate", "net_amount", "tax_amount", "gross_amount")
# Read as text: UUIDs as str() writes them, rates with their six decimals (never floats).
_TEXT_LINE_FIELDS = ("product_id", "tax_rate")
_FILTERS = ("customer_id", "status", "created_from", "created_to")


@dataclass(frozen=True)
class OrderPage:
    """Rows of (id, created_at, *STATE_FIELDS), newest first, ids as UUIDs (SQLite); or,
    with ``versions`` (PostgreSQL), rows of (id as text, created_at as text, row
    version): an adapter keeps what it renders of an order by version and reads
    ``current_states`` of the others."""
    orders: list
    next_cursor: str | None
    versions: bool = False


def list_orders(*, customer_id=None, status: str | None = None, created_from=None,
                created_to=None, cursor: str | None = None, limit: int = 50) -> OrderPage:
    """Newest first, by keyset on (created_at, id): page 1000 costs what page 1 costs."""
    if status and status not in rules.TRANSITIONS:
        raise InvalidInput("Unknown status.", errors={"status": [f"One of {', '.join(rules.TRANSITIONS)}."]})
    if customer_id is not None and as_uuid(customer_id) is None:
        return OrderPage([], None)  # nobody's orders, never everybody's
    limit = keyset.clamp(limit)
    values = {"customer_id": as_uuid(customer_id), "status": status,
              "created_from": created_from, "created_to": created_to,
              **keyset.params(cursor, limit)}
    shape = tuple(values.get(name) is not None for name in _FILTERS) + (bool(cursor),)
    dialect = read_engine().dialect.name
    found, next_cursor = keyset.split(all_rows(_page_statement(shape, dialect), values), limit,
                                      key=_cursor_key)
    return OrderPage(found, next_cursor, versions=dialect == "postgresql")


def _cursor_key(row) -> tuple:
    created_at = row[1]  # text on PostgreSQL: only the last row's is ever parsed
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at)
    return created_at, row[0]


def current_states(ids: list) -> list:
    """(id as text, row version, the JSON members of created_at and STATE_FIELDS as
    isoformat() would write them) of the orders ``ids`` as they are now; PostgreSQL only.
    An order deleted meanwhile is absent."""
    return all_rows(_states_statement(), {"ids": list(ids)})


@functools.lru_cache(maxsize=1)
def _states_statement():
    return select(for_driver(Order.id, "postgresql"), row_version(Order.__table__),
                  _state_members()).where(_of(Order.id, "postgresql"))


def fixed_parts(ids: list) -> tuple[list, dict]:
    """The fixed parts of the orders ``ids``: rows of FIXED_FIELDS (addresses as their
    stored JSON text), and per order id its lines in position order, as a JSON array of
    objects of LINE_FIELDS (PostgreSQL) or as tuples of LINE_FIELDS (SQLite)."""
    if not ids:
        return [], {}
    dialect = read_engine().dialect.name
    orders_stmt, lines_stmt = _fixed_statements(dialect)
    rows = all_rows(orders_stmt, {"ids": list(ids)})
    lines: dict = {}
    found = all_rows(lines_stmt, {"ids": list(ids)})
    if dialect == "postgresql":
        lines = dict(found)
    else:
        for row in found:
            lines.setdefault(row[0], []).append(row[1:])
    return rows, lines


def _of(column, dialect: str):
    """``column`` is one of the bound list ``ids``."""
    if dialect == "postgresql":  # one array parameter: the same SQL for any number of ids
        return column == any_(bindparam("ids", type_=ARRAY(UUID)))
    return column.in_(bindparam("ids", expanding=True))


@functools.lru_cache(maxsize=128)
def _page_statement(shape: tuple, dialect: str):
    customer, status, created_from, created_to, after_cursor = shape
    if dialect == "postgresql":
        # The state is read only for orders changed since last rendered (their version
        # moved); a created_at is parsed only for the cursor.
        stmt = select(for_driver(Order.id, dialect), cast(Order.created_at, Text),
                      row_version(Order.__table__))
    else:
        stmt = select(Order.id, Order.created_at, *(getattr(Order, f) for f in STATE_FIELDS))
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
    return keyset.newest_first(stmt, Order)


def _iso(column: str) -> str:
    """SQL rendering ``column`` (a timestamptz) as Python's isoformat() in UTC would, as a
    JSON value: microseconds only when there are some."""
    text = (f"replace(to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
            f"'.000000', '') || '+00:00'")
    return f"""coalesce('"' || {text} || '"', 'null')"""


def _state_members():
    """The JSON members (no braces) of an order's created_at and state, in SQL built from
    constants only."""
    parts = ["'\"created_at\":' || " + _iso("orders.created_at"),
             "',\"status\":' || to_json(orders.status)::text"]
    parts += [f"',\"{f}\":' || {_iso('orders.' + f)}" for f in _TIMESTAMPS]
    parts += ["',\"payment_reference\":' || coalesce(to_json(orders.payment_reference)::text, 'null')"]
    return literal_column(" || ".join(parts), type_=Text)


@functools.lru_cache(maxsize=4)
def _fixed_statements(dialect: str):
    columns = {f: for_driver(getattr(Order, f), dialect) for f in FIXED_FIELDS}
    columns.update(shipping_address=cast(Order.shipping_address, Text),
                   billing_address=cast(Order.billing_address, Text),
                   tax_breakdown=cast(Order.tax_breakdown, Text))
    orders = select(*columns.values()).where(_of(Order.id, dialect))
    if dialect == "postgresql":
        # Each order's lines as one JSON array: a row per order to send and parse
        # instead of a row of 8 columns per line.
        line = func.json_build_object(*(
            part for f in LINE_FIELDS
            for part in (literal_column(f"'{f}'"), cast(getattr(OrderLine, f), Text)
                         if f in _TEXT_LINE_FIELDS else getattr(OrderLine, f))))
        lines = (select(for_driver(OrderLine.order_id, dialect),
                        cast(func.json_agg(aggregate_order_by(line, OrderLine.position)), Text))
                 .where(_of(OrderLine.order_id, dialect)).group_by(OrderLine.order_id))
    else:
        lines = (select(OrderLine.order_id, *(getattr(OrderLine, f) for f in LINE_FIELDS))
                 .where(_of(OrderLine.order_id, dialect))
                 .order_by(OrderLine.order_id, OrderLine.position))
    return orders, lines
