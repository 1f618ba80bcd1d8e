"""Saved payment methods against localstripe: a SetupIntent for the customer (their
Stripe Customer created once), the card saved (read back from Stripe and attached to our
customer), listed masked with an ETag, charged from the server by `payment_method_id`,
removed (detached at Stripe). Someone else's card is not found and never charged; bad
input is a JSON error with nothing charged and no rows."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.payments.method_models import GatewayCustomer, PaymentMethod
from app.payments.models import Payment
from tests.factories import bearer
from tests.payments_support import customer, new_key, pay, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")

METHODS = "/api/v1/customers/me/payment-methods"
THREE_D_SECURE = "4000002760003184"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _setup(client, headers):
    resp = client.post("/api/v1/customers/me/setup-intents", headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _saved(client, headers, stripe_server, number="4242424242424242") -> dict:
    """A card validated by a SetupIntent the app confirmed, then saved."""
    pm = stripe_server.confirm_setup(_setup(client, headers), number)
    resp = client.post(METHODS, json={"payment_method": pm}, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return {**resp.get_json(), "pm": pm}


def test_save_list_charge_and_remove_a_card(client, stripe_server):
    user, headers = customer(client)
    setup = _setup(client, headers)
    assert setup["object"] == "setup_intent" and setup["client_secret"].startswith(setup["id"])
    assert setup["status"] == "requires_payment_method"
    cus = db.session.scalar(select(GatewayCustomer.gateway_customer_id).where(
        GatewayCustomer.user_id == user.id))
    assert cus and [c["id"] for c in stripe_server.customers()] == [cus]
    _setup(client, headers)  # a second card later: the same customer
    assert len(stripe_server.customers()) == 1 and _count(GatewayCustomer) == 1

    pm = stripe_server.confirm_setup(setup)
    resp = client.post(METHODS, json={"payment_method": pm}, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    saved = resp.get_json()
    assert {k: saved[k] for k in ("object", "type", "brand", "last4", "exp_month", "exp_year")} \
        == {"object": "payment_method", "type": "card", "brand": "visa", "last4": "4242",
            "exp_month": 12, "exp_year": 2030}
    assert "4242424242424242" not in resp.get_data(as_text=True)  # masked, always
    assert stripe_server.payment_method(pm)["customer"] == cus  # attached to our customer
    again = client.post(METHODS, json={"payment_method": pm}, headers=headers)
    assert again.status_code == 201 and again.get_json()["id"] == saved["id"]
    assert _count(PaymentMethod) == 1

    listed = client.get(METHODS, headers=headers)
    assert listed.status_code == 200 and listed.headers["ETag"]
    assert listed.get_json() == {"data": [saved], "has_more": False, "next_cursor": None}
    assert client.get(METHODS, headers={**headers, "If-None-Match": listed.headers["ETag"]}
                      ).status_code == 304

    order = place_order(client, headers)
    paid = pay(client, headers, order, key=new_key(), payment_method_id=saved["id"])
    assert paid.status_code == 201, paid.get_json()
    payment = paid.get_json()
    assert payment["status"] == "succeeded" and payment["payment_method_id"] == saved["id"]
    intent = stripe_server.intent(payment["gateway_payment_id"])
    assert (intent["customer"], intent["payment_method"], intent["amount"]) == (
        cus, pm, order["total_amount"])
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "paid"

    gone = client.delete(f"{METHODS}/{saved['id']}", headers=headers)
    assert gone.status_code == 204 and gone.get_data() == b""
    assert stripe_server.payment_method(pm)["customer"] is None  # detached at Stripe
    assert db.session.get(PaymentMethod, uuid.UUID(saved["id"])).detached_at is not None
    relisted = client.get(METHODS, headers=headers)
    assert relisted.get_json()["data"] == [] and relisted.headers["ETag"] != listed.headers["ETag"]
    assert client.delete(f"{METHODS}/{saved['id']}", headers=headers).status_code == 404

    # A removed card is never charged again, and cannot be saved again.
    intents, payments = len(stripe_server.intents()), _count(Payment)
    second = place_order(client, headers)
    refused = pay(client, headers, second, key=new_key(), payment_method_id=saved["id"])
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"] == {"payment_method_id": ["Removed."]}
    assert (len(stripe_server.intents()), _count(Payment)) == (intents, payments)
    resaved = client.post(METHODS, json={"payment_method": pm}, headers=headers)
    assert resaved.status_code == 422 and _count(PaymentMethod) == 1


def test_someone_elses_card_is_not_found_and_never_charged(client, stripe_server):
    _, alice = customer(client)
    card = _saved(client, alice, stripe_server)
    _, bob = customer(client)
    order = place_order(client, bob)

    resp = pay(client, bob, order, key=new_key(), payment_method_id=card["id"])
    assert resp.status_code == 404, resp.get_json()
    assert resp.get_json()["message"] == "Payment method not found."
    assert _count(Payment) == 0 and stripe_server.intents() == []
    assert client.delete(f"{METHODS}/{card['id']}", headers=bob).status_code == 404
    assert stripe_server.payment_method(card["pm"])["customer"] is not None
    assert client.get(METHODS, headers=bob).get_json()["data"] == []
    # Bob cannot save Alice's Stripe card as his either.
    stolen = client.post(METHODS, json={"payment_method": card["pm"]}, headers=bob)
    assert stolen.status_code == 422, stolen.get_json()
    assert _count(PaymentMethod) == 1


def test_a_partner_charges_only_the_payers_own_card(client, stripe_server, factories):
    _, alice = customer(client)
    card = _saved(client, alice, stripe_server)
    _, bob = customer(client)
    order = place_order(client, bob)
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    partner = bearer(secret)
    resp = pay(client, partner, order, key=new_key(), payment_method_id=card["id"])
    assert resp.status_code == 422, resp.get_json()
    assert "payment_method_id" in resp.get_json()["errors"]
    assert _count(Payment) == 0 and stripe_server.intents() == []
    # Alice's own order, charged by the partner off session: paid.
    own = place_order(client, alice)
    paid = pay(client, partner, own, key=new_key(), payment_method_id=card["id"])
    assert paid.status_code == 201 and paid.get_json()["status"] == "succeeded", paid.get_json()


@pytest.mark.parametrize("case", ["unknown", "currency", "amount", "both", "paypal", "malformed"])
def test_bad_input_charges_nothing(client, stripe_server, case):
    _, headers = customer(client)
    card = _saved(client, headers, stripe_server)
    order = place_order(client, headers)
    body = {"payment_method_id": card["id"]}
    expected, field = 422, "payment_method_id"
    if case == "unknown":
        body["payment_method_id"], expected = str(uuid.uuid4()), 404
    elif case == "currency":
        body["currency"], field = "EUR", "currency"
    elif case == "amount":
        body["amount"], field = order["total_amount"] - 1, "amount"
    elif case == "both":
        body["payment_method"], field = stripe_server.card(), "payment_method"
    elif case == "paypal":
        body["method"] = "paypal"
    else:
        body["payment_method_id"] = "not-a-uuid"
    resp = pay(client, headers, order, key=new_key(), **body)
    assert resp.status_code == expected, resp.get_json()
    error = resp.get_json()
    assert error["code"] == expected and error["message"]
    assert field in error["errors"] or case == "malformed" and "json" in error["errors"]
    assert _count(Payment) == 0 and stripe_server.intents() == []


def test_saving_bad_cards(client, stripe_server):
    _, headers = customer(client)
    for pm in ("pm_doesnotexist", "card_123"):
        resp = client.post(METHODS, json={"payment_method": pm}, headers=headers)
        assert resp.status_code == 422, resp.get_json()
        assert "payment_method" in resp.get_json()["errors"]
    declined = stripe_server.card("4000000000000002")  # Stripe declines saving it
    resp = client.post(METHODS, json={"payment_method": declined}, headers=headers)
    assert resp.status_code == 402, resp.get_json()
    assert _count(PaymentMethod) == 0


def test_saved_card_with_3d_secure_surfaces_requires_action(client, stripe_server):
    _, headers = customer(client)
    card = _saved(client, headers, stripe_server, THREE_D_SECURE)
    order = place_order(client, headers)
    resp = pay(client, headers, order, key=new_key(), payment_method_id=card["id"])
    assert resp.status_code == 201, resp.get_json()
    payment = resp.get_json()
    assert payment["status"] == "requires_action" and payment["client_secret"]
    assert payment["next_action"]["type"] == "use_stripe_sdk"


def test_an_expired_saved_card_is_refused(client, stripe_server):
    _, headers = customer(client)
    card = _saved(client, headers, stripe_server)
    method = db.session.get(PaymentMethod, uuid.UUID(card["id"]))
    method.exp_year = 2020
    db.session.commit()
    order = place_order(client, headers)
    resp = pay(client, headers, order, key=new_key(), payment_method_id=card["id"])
    assert resp.status_code == 422 and "Expired" in resp.get_json()["errors"][
        "payment_method_id"][0]
    assert _count(Payment) == 0 and stripe_server.intents() == []


def test_payment_methods_list_pages_by_cursor(client, stripe_server):
    _, headers = customer(client)
    ids = [_saved(client, headers, stripe_server)["id"] for _ in range(3)]
    first = client.get(f"{METHODS}?limit=2", headers=headers).get_json()
    assert first["has_more"] and len(first["data"]) == 2
    rest = client.get(f"{METHODS}?limit=2&cursor={first['next_cursor']}", headers=headers)
    assert rest.status_code == 200
    seen = [m["id"] for m in first["data"] + rest.get_json()["data"]]
    assert sorted(seen) == sorted(ids) and not rest.get_json()["has_more"]
    assert client.get(f"{METHODS}?cursor=zzz", headers=headers).status_code == 422


def test_partners_and_anonymous_cannot_use_me(client, stripe_server, factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    assert client.get(METHODS, headers=bearer(secret)).status_code == 403
    assert client.get(METHODS).status_code == 401


def test_without_stripe_keys_saved_cards_answer_503(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_API_KEY", None)
    _, headers = customer(client)
    resp = client.post("/api/v1/customers/me/setup-intents", headers=headers)
    assert resp.status_code == 503 and "STRIPE_API_KEY" in resp.get_json()["message"]
