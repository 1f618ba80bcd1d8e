"""Data and jobs of the webhook fan-out benchmark, run through ``ctx.in_app`` (the app's
environment, with REDIS_URL) and by the RQ worker (``noop``)."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.core.uow import unit_of_work
from app.extensions import db

ADDRESS = {"name": "Bench Buyer", "line1": "1 Bench St", "city": "London",
           "postal_code": "N1 9GU", "country": "GB"}


def noop() -> None:
    """The baseline job: RQ's own cost per job on the same worker, nothing else."""


def seed(receiver_url: str, endpoints: int) -> dict:
    """One customer with one order (every event is about it: the rendering is real, the
    order's content does not matter here) and ``endpoints`` endpoints subscribed to
    order.placed, written directly (the bench receiver is plain http on 127.0.0.1)."""
    from app.catalog.models import Product
    from app.orders.models import Order, OrderLine
    from app.users.models import User
    from app.webhooks.models import WebhookEndpoint

    with unit_of_work():
        user = User(id=uuid.uuid4(), email=f"bench-{uuid.uuid4().hex[:8]}@example.com",
                    password_hash="x", full_name="Bench Buyer")
        product = Product(id=uuid.uuid4(), sku=f"BENCH-{uuid.uuid4().hex[:6]}", name="Widget",
                          description="", price_amount=1999, currency="EUR", stock_on_hand=1)
        db.session.add_all([user, product])
        db.session.flush()
        order = Order(id=uuid.uuid4(), customer_id=user.id, status="pending_payment",
                      currency="EUR", subtotal_amount=1999, total_amount=1999, country="GB",
                      shipping_address=ADDRESS, billing_address=ADDRESS)
        order.lines.append(OrderLine(position=0, product_id=product.id, sku=product.sku,
                                     name=product.name, tax_category=product.tax_category,
                                     unit_price_amount=1999, quantity=1,
                                     line_total_amount=1999))
        db.session.add(order)
        for i in range(endpoints):
            db.session.add(WebhookEndpoint(
                url=f"{receiver_url}/{i}", event_types=["order.placed"],
                contact_email="bench@example.com", secret=f"whsec_bench_{i}",
                created_by="bench"))
    return {"order_id": str(order.id)}


def publish(order_id: str, events: int) -> int:
    """``events`` order.placed outbox events in one unit of work: after its commit the
    dispatcher enqueues one fan-out job per event on the ``webhooks`` queue (the other
    handlers' jobs go to queues the benchmark's worker does not serve)."""
    from app.events.service import publish as publish_event

    with unit_of_work():
        for _ in range(events):
            publish_event("order.placed", {"order_id": order_id, "customer_id": None})
    return events


def delivered() -> dict:
    """Succeeded deliveries, and when the first attempt started and the last one ended."""
    from app.webhooks.models import WebhookAttempt, WebhookDelivery

    done = db.session.scalar(select(func.count()).select_from(WebhookDelivery)
                             .where(WebhookDelivery.status == "succeeded"))
    total = db.session.scalar(select(func.count()).select_from(WebhookDelivery))
    attempts = db.session.scalar(select(func.count()).select_from(WebhookAttempt))
    return {"succeeded": done, "deliveries": total, "attempts": attempts}


def reset() -> bool:
    """Forget the previous run's events and deliveries (endpoints and the order stay)."""
    from app.events.models import EventDelivery, OutboxEvent
    from app.webhooks.models import (WebhookAttempt, WebhookDelivery, WebhookEvent,
                                     WebhookSequence)

    with unit_of_work():
        for model in (WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSequence,
                      EventDelivery, OutboxEvent):
            db.session.query(model).delete()
    return True
