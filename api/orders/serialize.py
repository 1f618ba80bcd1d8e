"""Orders as the API returns them: one rendering, from a row of values (a read page) or
from an Order just written; marshmallow costs ~10x. OrderSchema stays the contract:
tests/api/test_orders.py proves this equals OrderSchema().dump() on both databases."""
from __future__ import annotations

import orjson

from app.core.text import stored_json
from app.orders import queries


def order_dict(row, lines) -> dict:
    """``row``: values of queries.ORDER_FIELDS; ``lines``: values of queries.LINE_FIELDS.
    Stored JSON read as text passes through unparsed (``app.core.text.stored_json``), and
    timestamps and the tax date stay datetimes and dates, which orjson writes itself
    exactly as isoformat() would (~20 times cheaper): for orjson only (``page_json``,
    ``json_response``); ``order_to_dict`` gives plain JSON values."""
    order = dict(zip(queries.ORDER_FIELDS, row))
    order["id"] = str(order["id"])
    order["customer_id"] = str(order["customer_id"])
    for field in queries.JSON_FIELDS:
        value = order[field]
        if isinstance(value, str):
            order[field] = stored_json(value)
        elif value is None and field == "tax_breakdown":
            order[field] = []
    order["under_review"] = bool(order["under_review"])  # SQLite answers 0 or 1
    order["lines"] = [_line(line) for line in lines]
    return order


def order_to_dict(order) -> dict:
    """An Order (ORM) in the same rendering, with plain JSON values only (it may be stored,
    as an Idempotency-Key's answer)."""
    data = order_dict(tuple(getattr(order, f) for f in queries.ORDER_FIELDS),
                      [tuple(getattr(line, f) for f in queries.LINE_FIELDS)
                       for line in order.lines])
    for field in _DATES:
        value = data[field]
        if value is not None and not isinstance(value, str):
            data[field] = value.isoformat()
    return data


def _line(values) -> dict:
    line = dict(zip(queries.LINE_FIELDS, values))
    line["product_id"] = str(line["product_id"])
    rate = line["tax_rate"]
    if not isinstance(rate, str):  # text with its six decimals on PostgreSQL already
        line["tax_rate"] = f"{rate:.6f}"
    return line


_DATES = ("created_at", "updated_at", "paid_at", "fulfilled_at", "cancelled_at", "tax_date")


def page_json(page: queries.OrderPage) -> bytes:
    return orjson.dumps({"data": [order_dict(row, lines) for row, lines in page.orders],
                         "has_more": page.next_cursor is not None,
                         "next_cursor": page.next_cursor})
