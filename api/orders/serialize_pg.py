"""PostgreSQL renders each order of a list page as JSON text, which goes out as is: a
50-order page then costs Python a string join instead of ~2,500 value conversions.
The shape is OrderSchema's; tests/api/test_orders.py proves both render the same."""
from __future__ import annotations

import functools

from sqlalchemy import Integer, Text, case, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.orders.models import Order, OrderLine


def _text(column):
    return cast(column, Text)


def _iso(column):
    """Python's datetime.isoformat() in UTC: microseconds only when there are some."""
    utc = func.timezone("UTC", column)
    whole = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
    micro = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
    micros = cast(func.date_part("microseconds", column), Integer) % 1000000
    exact = case((micros == 0, whole), else_=micro)
    return case((column.is_(None), None), else_=exact)


def _obj(**fields):
    args = []
    for key, value in fields.items():
        args += [literal(key), value]
    return func.json_build_object(*args)


def _lines():
    line = _obj(product_id=_text(OrderLine.product_id), sku=OrderLine.sku, name=OrderLine.name,
                tax_category=OrderLine.tax_category,
                unit_price_amount=OrderLine.unit_price_amount, quantity=OrderLine.quantity,
                line_total_amount=OrderLine.line_total_amount)
    lines = func.json_agg(aggregate_order_by(line, OrderLine.position))
    return (select(func.coalesce(lines, literal_column("'[]'::json")))
            .where(OrderLine.order_id == Order.id).scalar_subquery())


@functools.cache
def order_json():
    return _text(_obj(
        id=_text(Order.id), customer_id=_text(Order.customer_id), status=Order.status,
        currency=Order.currency, subtotal_amount=Order.subtotal_amount,
        total_amount=Order.total_amount, country=Order.country,
        shipping_address=Order.shipping_address, billing_address=Order.billing_address,
        lines=_lines(),
        created_at=_iso(Order.created_at), updated_at=_iso(Order.updated_at),
        paid_at=_iso(Order.paid_at), fulfilled_at=_iso(Order.fulfilled_at),
        cancelled_at=_iso(Order.cancelled_at),
    ))
