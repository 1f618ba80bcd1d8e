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


THREE_D_SECURE = "4000002760003184"  # a card Stripe asks 3-D Secure for


def awaiting_3ds(client, stripe_server) -> tuple[dict, dict, dict]:
    """(headers, order, payment): a customer's card payment waiting for 3-D Secure."""
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order, key=new_key(),
                  payment_method=stripe_server.card(THREE_D_SECURE)).get_json()
    assert payment["status"] == "requires_action", payment
    return headers, order, payment


def new_key() -> str:
    return uuid.uuid4().hex


def paid_order(client, headers, stripe_server, **order) -> tuple[dict, dict]:
    """(order, payment): an order paid by card, confirmed at once (server side)."""
    placed = place_order(client, headers, **order)
    resp = pay(client, headers, placed, payment_method=stripe_server.card())
    assert resp.status_code == 201 and resp.get_json()["status"] == "succeeded", resp.get_json()
    return placed, resp.get_json()


def refund(client, headers, payment_id, *, key: str | None = None, **body):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/payments/{payment_id}/refunds", json=body,
                       headers={**headers, **extra})
