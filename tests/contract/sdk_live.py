"""What both SDK contract tests need around the live server (tests/live.py): a partner
key, tax rates, and a customer whose order was paid, so that an invoice and its PDF exist."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.core.actor import Actor
from app.core.money import format_amount
from app.extensions import db
from app.invoices.models import Invoice
from app.orders import service as orders
from tests import factories
from tests.invoice_support import FINANCE, act, rates
from tests.orders_support import ADDRESS, product

PASSWORD = factories.PASSWORD


@dataclass
class PaidCustomer:
    email: str
    password: str
    order_id: str
    invoice_total: int
    invoice_amount_text: str  # as the PDF prints it


def prepare() -> str:
    """Tax rates for GB (the test address) and a partner key with catalog:write."""
    rates()
    _, secret = factories.api_key(scopes=["catalog:write"], name="SDK contract partner")
    return secret


def mark_paid(order_id) -> Invoice:
    """Staff records the payment (as the back office does); the invoice follows from the
    order.paid event, rendered to PDF by its job (inline: no Redis in these tests)."""
    order_id = uuid.UUID(str(order_id))
    act(orders.mark_paid, order_id, actor=FINANCE, payment_reference="SDK-CONTRACT")
    db.session.expire_all()
    invoice = db.session.scalars(select(Invoice).where(Invoice.order_id == order_id)).one()
    assert invoice.status == "paid" and invoice.pdf_status == "ready", (invoice.status,
                                                                         invoice.pdf_status)
    return invoice


def paid_customer() -> PaidCustomer:
    """A customer (made directly) with one paid order and its invoice."""
    user = factories.user()
    widget = product(stock=5, price=1200, currency="GBP")
    order = act(orders.place, user.id, [{"product_id": widget.id, "quantity": 2}], ADDRESS,
                actor=Actor(kind="user", id=user.id))
    invoice = mark_paid(order.id)
    return PaidCustomer(user.email, PASSWORD, str(order.id), invoice.total_amount,
                        format_amount(invoice.total_amount, invoice.currency))
