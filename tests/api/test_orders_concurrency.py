"""Concurrent orders through HTTP under the multi-process server, on PostgreSQL."""
import pytest
import requests
from sqlalchemy import func, select

from app.catalog.models import Product
from app.extensions import db
from app.orders.models import Order, OrderLine
from tests.factories import PASSWORD
from tests.live import fire_at_once as _fire, web_server
from tests.orders_support import order_body, product

pytestmark = pytest.mark.usefixtures("tax_rates")


def _token(base: str, email: str) -> str:
    resp = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return resp.json()["access_token"]



def test_fifty_orders_for_ten_units(pg_app, factories):
    user = factories.user()
    p = product(stock=10)
    product_id = p.id
    with web_server(pg_app, workers=2) as base:
        headers = {"Authorization": f"Bearer {_token(base, user.email)}"}
        body = order_body((p, 1))
        statuses = _fire(50, lambda i: requests.post(
            f"{base}/api/v1/orders", json=body, headers=headers, timeout=30).status_code)
    assert sorted(statuses).count(201) == 10, statuses
    assert statuses.count(409) == 40, statuses
    db.session.expire_all()
    assert db.session.get(Product, product_id).stock_on_hand == 0
    assert db.session.scalar(select(func.count()).select_from(Order)) == 10
    reserved = db.session.scalar(select(func.sum(OrderLine.quantity)))
    assert reserved == 10  # every order has its reservation, and only those


def test_same_idempotency_key_twenty_times_at_once_makes_one_order(pg_app, factories):
    user = factories.user()
    p = product(stock=100)
    product_id = p.id
    with web_server(pg_app, workers=2) as base:
        headers = {"Authorization": f"Bearer {_token(base, user.email)}",
                   "Idempotency-Key": "same-key-20x"}
        body = order_body((p, 2))
        responses = _fire(20, lambda i: requests.post(
            f"{base}/api/v1/orders", json=body, headers=headers, timeout=30))
        # Retries after the first finished all get the first answer.
        replay = requests.post(f"{base}/api/v1/orders", json=body, headers=headers)
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, statuses
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1, statuses
    assert replay.status_code == 201 and replay.json()["id"] in created
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    assert db.session.get(Product, product_id).stock_on_hand == 98
