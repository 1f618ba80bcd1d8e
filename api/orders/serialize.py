"""Hand-built dicts for the hot read path (marshmallow costs ~10x). The schemas stay the
contract: tests/api/test_orders.py proves these equal OrderSchema().dump()."""
from __future__ import annotations


def _ts(value):
    return value.isoformat() if value is not None else None


def order_to_dict(order) -> dict:
    return {
        "id": str(order.id),
        "customer_id": str(order.customer_id),
        "status": order.status,
        "currency": order.currency,
        "subtotal_amount": order.subtotal_amount,
        "total_amount": order.total_amount,
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
        } for line in order.lines],
        "created_at": _ts(order.created_at),
        "updated_at": _ts(order.updated_at),
        "paid_at": _ts(order.paid_at),
        "fulfilled_at": _ts(order.fulfilled_at),
        "cancelled_at": _ts(order.cancelled_at),
    }
