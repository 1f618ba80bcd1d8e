"""Idempotency-Key: the claim, the order, its outbox rows and the stored answer are one
transaction, so a failure leaves nothing and a retry is always safe."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.catalog.models import Product
from app.core.types import utcnow
from app.events.models import OutboxEvent
from app.extensions import db
from app.idempotency.models import IdempotencyRecord
from app.orders.models import Order
from tests.factories import bearer, login
from tests.orders_support import order_body, product

pytestmark = pytest.mark.usefixtures("tax_rates")


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def headers(client, factories):
    user = factories.user()
    return bearer(login(client, user.email)["access_token"])


@pytest.mark.parametrize("key", ["unserialisable-1", None])
def test_a_body_that_cannot_be_serialised_rolls_everything_back(app, client, headers,
                                                                monkeypatch, key):
    def broken_dump(order):
        raise TypeError("cannot serialise this order")

    monkeypatch.setattr("api.orders.routes.order_to_dict", broken_dump)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answer 500, as served
    p = product(stock=5)
    outbox_before = _count(OutboxEvent)
    keyed = {**headers, **({"Idempotency-Key": key} if key else {})}
    resp = client.post("/api/v1/orders", json=order_body((p, 2)), headers=keyed)
    assert resp.status_code == 500
    assert _count(Order) == 0
    assert _count(IdempotencyRecord) == 0
    assert _count(OutboxEvent) == outbox_before
    assert db.session.get(Product, p.id).stock_on_hand == 5


def test_a_stored_refusal_keeps_none_of_the_actions_writes(client, headers):
    plenty, short = product(stock=50), product(stock=1)
    keyed = {**headers, "Idempotency-Key": "refused-1"}
    body = order_body((plenty, 3), (short, 2))
    first = client.post("/api/v1/orders", json=body, headers=keyed)
    assert first.status_code == 409
    # Whichever line was reserved first was given back; the refusal itself is stored.
    assert db.session.get(Product, plenty.id).stock_on_hand == 50
    assert db.session.get(Product, short.id).stock_on_hand == 1
    record = db.session.scalars(select(IdempotencyRecord)).one()
    assert (record.status, record.response_status) == ("done", 409)
    assert _count(Order) == 0
    replay = client.post("/api/v1/orders", json=body, headers=keyed)
    assert replay.status_code == 409 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json()["message"] == first.get_json()["message"]


def test_an_old_in_progress_record_is_never_retaken(client, headers, factories):
    """The 60-second retake is gone by design: a key in flight is held by its transaction,
    and a record can only be seen in progress if it was written before that (or by a
    request that will still finish). No clock ever makes the work run a second time."""
    p = product(stock=5)
    body = order_body((p, 1))
    keyed = {**headers, "Idempotency-Key": "old-in-progress"}
    first = client.post("/api/v1/orders", json=body, headers=keyed)
    assert first.status_code == 201
    record = db.session.scalars(select(IdempotencyRecord)).one()
    record.status, record.response_status, record.response_body = "in_progress", None, None
    record.created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    again = client.post("/api/v1/orders", json=body, headers=keyed)
    assert again.status_code == 409 and "in progress" in again.get_json()["message"]
    assert _count(Order) == 1
    assert db.session.get(Product, p.id).stock_on_hand == 4
