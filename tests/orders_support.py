"""Order test helpers: products inserted directly (the catalogue has its own tests)."""
import uuid

from app.catalog.models import Product
from app.extensions import db

ADDRESS = {"name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
           "postal_code": "N1 9GU", "country": "gb"}


def product(stock: int = 10, price: int = 1999, currency: str = "EUR", active: bool = True,
            **fields) -> Product:
    p = Product(id=uuid.uuid4(), sku=fields.pop("sku", f"SKU-{uuid.uuid4().hex[:8]}"),
                name=fields.pop("name", "Widget"), description="", price_amount=price,
                currency=currency, stock_on_hand=stock, active=active, **fields)
    db.session.add(p)
    db.session.commit()
    return p


def order_body(*lines, address=None) -> dict:
    return {"lines": [{"product_id": str(p.id), "quantity": q} for p, q in lines],
            "shipping_address": address or ADDRESS}


def bulk_orders(customer_id, products, count: int, *, same_time: bool = False) -> None:
    """Many orders at once, straight into the tables (for list-size tests)."""
    from datetime import timedelta

    from app.core.types import utcnow
    from app.orders.models import Order, OrderLine

    now = utcnow()
    for n in range(count):
        order = Order(id=uuid.uuid4(), customer_id=customer_id, status="pending_payment",
                      currency=products[0].currency, subtotal_amount=0, total_amount=0,
                      country="GB", shipping_address=ADDRESS, billing_address=ADDRESS,
                      created_at=now if same_time else now - timedelta(seconds=n))
        for position, p in enumerate(products):
            order.lines.append(OrderLine(position=position, product_id=p.id, sku=p.sku,
                                         name=p.name, tax_category=p.tax_category,
                                         unit_price_amount=p.price_amount, quantity=1,
                                         line_total_amount=p.price_amount))
            order.subtotal_amount += p.price_amount
        order.total_amount = order.subtotal_amount
        db.session.add(order)
    db.session.commit()
