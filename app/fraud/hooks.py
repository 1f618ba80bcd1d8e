"""Fraud screening of new orders, run as a job. The fraud issue grows the rules; the
first one is order velocity per customer."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.audit import service as audit
from app.core.actor import Actor
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.orders.models import Order


def screen_order(evt) -> None:
    order = db.session.get(Order, as_uuid(evt.payload["order_id"]))
    if order is None:
        return
    window = timedelta(minutes=current_app.config.get("FRAUD_VELOCITY_WINDOW_MINUTES", 60))
    limit = current_app.config.get("FRAUD_VELOCITY_MAX_ORDERS", 10)
    recent = db.session.scalar(select(func.count()).select_from(Order).where(
        Order.customer_id == order.customer_id, Order.created_at >= utcnow() - window))
    if recent > limit:
        audit.record(Actor.system("fraud-screen"), "fraud.flagged", "order", order.id,
                     after={"rule": "velocity", "orders_in_window": recent, "limit": limit})
