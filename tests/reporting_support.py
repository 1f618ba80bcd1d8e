"""Sales straight into the tables (orders paid on a given day, payments, refunds,
invoices), for figures tests: the services that make them have their own tests."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order, OrderLine
from app.payments.models import Payment, Refund
from tests.orders_support import ADDRESS


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def sale(customer, *, net: int, tax: int = 0, currency: str = "EUR", when: datetime,
         paid: bool = True, rate: str = "0.19", payment: str | None = "succeeded",
         refund: int = 0, commit: bool = True) -> Order:
    order = Order(id=uuid.uuid4(), customer_id=customer.id,
                  status="paid" if paid else "pending_payment", currency=currency,
                  subtotal_amount=net, tax_amount=tax, total_amount=net + tax, country="DE",
                  shipping_address=ADDRESS, billing_address=ADDRESS, created_at=when,
                  paid_at=when if paid else None)
    order.lines.append(OrderLine(position=0, product_id=_product().id, sku="DEMO", name="Thing",
                                 tax_category="standard", unit_price_amount=net, quantity=1,
                                 line_total_amount=net, tax_rate=Decimal(rate), net_amount=net,
                                 tax_amount=tax, gross_amount=net + tax))
    db.session.add(order)
    if payment:
        p = Payment(id=uuid.uuid4(), order_id=order.id, customer_id=customer.id,
                    status=payment, amount=net + tax, currency=currency, created_by="system",
                    created_at=when, amount_refunded=refund)
        db.session.add(p)
        if refund:
            db.session.add(Refund(payment_id=p.id, amount=refund, currency=currency,
                                  status="succeeded", created_by="system", created_at=when))
    if commit:
        db.session.commit()
    return order


_PRODUCT = {}


def _product():
    from app.catalog.models import Product

    found = db.session.get(Product, _PRODUCT.get("id")) if _PRODUCT.get("id") else None
    if found is None:
        found = Product(id=uuid.uuid4(), sku=f"SKU-{uuid.uuid4().hex[:8]}", name="Thing",
                        description="", price_amount=1000, currency="EUR", stock_on_hand=10)
        db.session.add(found)
        db.session.flush()
        _PRODUCT["id"] = found.id
    return found


def open_invoice(customer, *, total: int, due: date, currency: str = "EUR",
                 number: str | None = None) -> Invoice:
    inv = Invoice(id=uuid.uuid4(), kind="invoice", series="INV", status="sent",
                  number=number or f"INV-T-{uuid.uuid4().hex[:6]}", customer_id=customer.id,
                  currency=currency, buyer={"name": customer.full_name},
                  subtotal_amount=total, total_amount=total, due_date=due,
                  issue_date=due - timedelta(days=14),
                  finalised_at=at(due - timedelta(days=14)), sent_at=at(due - timedelta(days=14)))
    db.session.add(inv)
    db.session.commit()
    return inv
