"""Concurrent orders through HTTP under the multi-process server, on PostgreSQL."""
import time

import pytest
import requests
from sqlalchemy import func, select

from app.catalog.models import Product
from app.extensions import db
from app.idempotency.models import IdempotencyRecord
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
    answers = [r for r in responses if r.status_code == 201]
    created = {r.json()["id"] for r in answers}
    assert len(created) == 1, statuses
    # One did the work; the others waited for its transaction and got the same body.
    assert all(r.json() == answers[0].json() for r in answers)
    assert sum(r.headers.get("Idempotent-Replayed") != "true" for r in answers) == 1
    assert all("in progress" in r.json()["message"] for r in responses if r.status_code == 409)
    assert replay.status_code == 201 and replay.json()["id"] in created
    assert replay.headers["Idempotent-Replayed"] == "true"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    assert db.session.get(Product, product_id).stock_on_hand == 98


@pytest.mark.slow
def test_a_worker_killed_before_commit_leaves_nothing_and_the_retry_after_61_s_orders_once(
        pg_app, factories):
    """SLOW ON PURPOSE (61 s): the issue's explicit demand. A worker dies by SIGKILL after
    the order, its outbox row and the stored answer were flushed, right before the commit.
    Nothing survives, and a retry after the old 60 s "abandoned" window (gone by design)
    places exactly one order: no clock ever makes the work run twice."""
    user = factories.user()
    p = product(stock=10)
    product_id = p.id
    with web_server(pg_app, workers=2, extra_env={"TEST_CRASH_HOOK": "1"}) as base:
        headers = {"Authorization": f"Bearer {_token(base, user.email)}",
                   "Idempotency-Key": "crash-before-commit"}
        body = order_body((p, 3))
        with pytest.raises(requests.ConnectionError):
            requests.post(f"{base}/api/v1/orders", json=body, timeout=30,
                          headers={**headers, "X-Test-Crash": "before-commit"})
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
        assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
        assert db.session.get(Product, product_id).stock_on_hand == 10
        db.session.rollback()
        time.sleep(61)
        retry = requests.post(f"{base}/api/v1/orders", json=body, headers=headers, timeout=30)
        again = requests.post(f"{base}/api/v1/orders", json=body, headers=headers, timeout=30)
    assert retry.status_code == 201, retry.text
    assert again.status_code == 201 and again.json() == retry.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    assert db.session.get(Product, product_id).stock_on_hand == 7


def test_a_worker_killed_after_commit_before_answering_is_replayed_on_retry(pg_app, factories):
    """The other worst moment: the order, its outbox row and the stored answer committed
    together, then the worker died before the response left. The retry gets the stored
    answer (Idempotent-Replayed) and no second order is placed."""
    user = factories.user()
    p = product(stock=10)
    product_id = p.id
    with web_server(pg_app, workers=2, extra_env={"TEST_CRASH_HOOK": "1"}) as base:
        headers = {"Authorization": f"Bearer {_token(base, user.email)}",
                   "Idempotency-Key": "crash-after-commit"}
        body = order_body((p, 2))
        with pytest.raises(requests.ConnectionError):
            requests.post(f"{base}/api/v1/orders", json=body, timeout=30,
                          headers={**headers, "X-Test-Crash": "after-commit"})
        retry = requests.post(f"{base}/api/v1/orders", json=body, headers=headers, timeout=30)
    assert retry.status_code == 201, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    db.session.expire_all()
    [order] = db.session.scalars(select(Order)).all()
    assert retry.json()["id"] == str(order.id)
    assert db.session.get(Product, product_id).stock_on_hand == 8
