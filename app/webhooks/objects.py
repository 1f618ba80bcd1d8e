"""Objects as the API returns them, for event bodies: the API's own renderers, so an
event's ``data.object`` equals what GET returns."""
from __future__ import annotations


def order(object_id) -> dict:
    from api.orders.serialize import order_to_dict
    from app.orders import service as orders

    return order_to_dict(orders.get(object_id))


def invoice(object_id) -> dict:
    from api.invoices.serialize import invoice_dict
    from app.invoices import service as invoices

    return invoice_dict(invoices.get(object_id))


def payment(object_id) -> dict:
    from api.payments.serialize import payment_to_dict
    from app.payments import service as payments

    return payment_to_dict(payments.get(object_id))  # never the client secret


def refund(object_id) -> dict:
    from api.payments.serialize import refund_to_dict
    from app.core.lookup import get_or_not_found
    from app.payments.models import Refund

    return refund_to_dict(get_or_not_found(Refund, object_id, "Refund not found."))
