"""Payment test helpers: a customer with a placed order, paying through the API."""
from __future__ import annotations

import uuid

from tests import factories
from tests.factories import bearer, login
from tests.orders_support import order_body, product
from tests.stripe_server import event, sign


def customer(client) -> tuple[object, dict]:
    user = factories.user(verified=True)
    return user, bearer(login(client, user.email)["access_token"])


def place_order(client, headers, *, price: int = 2500, quantity: int = 3,
                currency: str = "GBP") -> dict:
    """An order taxed at checkout (GB 20 %): 3 x 25.00 + tax = 90.00 by default."""
    resp = client.post("/api/v1/orders", json=order_body((product(price=price, currency=currency),
                                                          quantity)), headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def pay(client, headers, order: dict, *, key: str | None = None, **overrides):
    body = {"order_id": order["id"], "amount": order["total_amount"],
            "currency": order["currency"], **overrides}
    extra = {"Idempotency-Key": key} if key else {}
    return client.post("/api/v1/payments", json=body, headers={**headers, **extra})


def deliver(client, event_type: str, obj: dict, **kwargs):
    """A webhook as Stripe sends it: the event signed with the endpoint secret."""
    payload = event(event_type, obj, **kwargs)
    return client.post("/api/v1/webhooks/stripe", data=payload,
                       headers={"Stripe-Signature": sign(payload),
                                "Content-Type": "application/json"})


def new_key() -> str:
    return uuid.uuid4().hex
