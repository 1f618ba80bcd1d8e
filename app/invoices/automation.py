"""Invoices that issue themselves."""
from app.core.actor import Actor
from app.invoices import service


def invoice_paid_order(evt) -> None:
    """An order was paid: its invoice is issued (and finalised) automatically."""
    service.create_from_order(evt.payload["order_id"], actor=Actor.system("invoicing"))
