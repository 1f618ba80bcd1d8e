"""Orders get a human number at placement: sequential, unique under concurrency, returned by
the API, shown in the back office and used in the confirmation email."""
import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.orders.models import Order
from tests.factories import PASSWORD, bearer, login
from tests.live import fire_at_once, web_server
from tests.orders_support import order_body, product

pytestmark = pytest.mark.usefixtures("tax_rates")


def test_numbers_are_sequential_returned_and_in_the_email(client, factories, smtp):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    widget = product(stock=10)
    numbers = []
    for _ in range(3):
        resp = client.post("/api/v1/orders", json=order_body((widget, 1)), headers=headers)
        assert resp.status_code == 201, resp.get_json()
        numbers.append(resp.get_json()["number"])
    assert numbers == list(range(numbers[0], numbers[0] + 3)) and numbers[0] >= 1001
    listed = client.get("/api/v1/orders", headers=headers).get_json()["data"]
    assert [o["number"] for o in listed] == numbers[::-1]
    one = client.get(f"/api/v1/orders/{listed[0]['id']}", headers=headers).get_json()
    assert one["number"] == numbers[-1]
    subjects = {m["Subject"] for m in smtp.wait_for(3)}
    assert {f"Your order #{n} is confirmed" for n in numbers} <= subjects


def test_a_rejected_order_takes_no_row_and_the_next_one_is_numbered(client, factories):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    scarce = product(stock=1)
    first = client.post("/api/v1/orders", json=order_body((scarce, 1)), headers=headers)
    refused = client.post("/api/v1/orders", json=order_body((scarce, 1)), headers=headers)
    assert first.status_code == 201 and refused.status_code == 409
    db.session.expire_all()
    assert db.session.scalars(select(Order.number)).all() == [first.get_json()["number"]]
    later = client.post("/api/v1/orders", json=order_body((product(), 1)), headers=headers)
    assert later.get_json()["number"] > first.get_json()["number"]


def test_concurrent_checkouts_get_distinct_numbers(pg_app, factories):
    """Twenty orders placed at once through the multi-process server: twenty numbers."""
    body = order_body((product(stock=100), 1))
    user = factories.user()
    with web_server(pg_app, workers=2) as base:
        token = requests.post(f"{base}/api/v1/auth/login", json={
            "email": user.email, "password": PASSWORD}).json()["access_token"]
        responses = fire_at_once(20, lambda i: requests.post(
            f"{base}/api/v1/orders", json=body, headers=bearer(token),
            timeout=60))
    assert [r.status_code for r in responses] == [201] * 20
    numbers = sorted(r.json()["number"] for r in responses)
    assert len(set(numbers)) == 20
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Order.number))) == numbers
