"""Hand-built dicts for the hot read path (marshmallow costs ~10x). The schemas stay the
contract: tests/api/test_orders.py proves these equal OrderSchema().dump()."""
from __future__ import annotations

import orjson

from app.core.renderings import Renderings
from app.orders import cache as order_cache
from app.orders import queries


def _ts(value):
    return value.isoformat() if value is not None else None


def order_to_dict(order) -> dict:
    return {
        "id": str(order.id),
        "customer_id": str(order.customer_id),
        "status": order.status,
        "currency": order.currency,
        "tax_inclusive": order.tax_inclusive,
        "subtotal_amount": order.subtotal_amount,
        "tax_amount": order.tax_amount,
        "total_amount": order.total_amount,
        "tax_breakdown": list(order.tax_breakdown or []),
        "tax_date": order.tax_date.isoformat() if order.tax_date else None,
        "country": order.country,
        "shipping_address": dict(order.shipping_address),
        "billing_address": dict(order.billing_address),
        "lines": [{
            "product_id": str(line.product_id),
            "sku": line.sku,
            "name": line.name,
            "tax_category": line.tax_category,
            "unit_price_amount": line.unit_price_amount,
            "quantity": line.quantity,
            "line_total_amount": line.line_total_amount,
            "tax_rate": f"{line.tax_rate:.6f}",
            "net_amount": line.net_amount,
            "tax_amount": line.tax_amount,
            "gross_amount": line.gross_amount,
        } for line in order.lines],
        "created_at": _ts(order.created_at),
        "updated_at": _ts(order.updated_at),
        "paid_at": _ts(order.paid_at),
        "fulfilled_at": _ts(order.fulfilled_at),
        "cancelled_at": _ts(order.cancelled_at),
        "payment_reference": order.payment_reference,
    }


def _fixed_members(ids: list) -> dict:
    """{id: the JSON members of the order's fixed parts and lines, without braces}."""
    rows, lines = queries.fixed_parts(ids)
    out = {}
    for row in rows:
        order = dict(zip(queries.FIXED_FIELDS, row))
        order["shipping_address"] = orjson.Fragment(row[_SHIPPING])
        order["billing_address"] = orjson.Fragment(row[_BILLING])
        order["tax_breakdown"] = orjson.Fragment(row[_BREAKDOWN] or "[]")
        found = lines.get(row[0], ())
        order["lines"] = orjson.Fragment(found) if isinstance(found, str) else \
            [_line(line) for line in found]
        out[row[0]] = orjson.dumps(order)[1:-1]
    return out


def _line(row) -> dict:
    line = dict(zip(queries.LINE_FIELDS, row))
    line["tax_rate"] = f"{line['tax_rate']:.6f}"
    return line


_SHIPPING = queries.FIXED_FIELDS.index("shipping_address")
_BREAKDOWN = queries.FIXED_FIELDS.index("tax_breakdown")
_BILLING = queries.FIXED_FIELDS.index("billing_address")
_STATE = ("created_at",) + queries.STATE_FIELDS


def page_json(page: queries.OrderPage) -> bytes:
    """A list page: each order's fixed members (rendered once per order, then kept: they
    never change) joined with its state. On PostgreSQL the whole order is kept by row
    version, so only orders changed since (or never) rendered are read and rendered;
    elsewhere the state is rendered from the page's rows. UUIDs and datetimes are written
    by orjson, as str() and isoformat() would."""
    if page.versions:
        data = b",".join(KEPT.of(page.orders, _render_current, key=_id_version))
    else:
        fixed = order_cache.fixed([row[0] for row in page.orders], _fixed_members)
        data = b",".join(b"{" + fixed[row[0]] + b"," + orjson.dumps(dict(zip(_STATE, row[1:])))[1:]
                         for row in page.orders)
    tail = orjson.dumps({"has_more": page.next_cursor is not None,
                         "next_cursor": page.next_cursor})
    return b'{"data":[' + data + b"]," + tail[1:]


# Whole orders by row version, ~1.5 KB each: ~30 MB per process at most.
KEPT = Renderings(max_entries=20_000)


def _id_version(row) -> tuple:
    return row[0], row[2]


def _render_current(ids: list) -> dict:
    states = queries.current_states(ids)
    fixed = order_cache.fixed([row[0] for row in states], _fixed_members)
    return {ident: (version, b"".join((b"{", fixed[ident], b",", state.encode(), b"}")))
            for ident, version, state in states}
