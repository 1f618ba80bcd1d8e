"""Partners' webhooks through the API, against a real local HTTP receiver."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.core.types import utcnow
from app.core.uow import unit_of_work
from app.extensions import db
from app.orders import service as orders
from app.webhooks import delivery, service
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import api_key, bearer, login
from tests.orders_support import order_body, product
from tests.webhook_receiver import Receiver, verify
from tests.webhook_support import create_endpoint, hooks, partner  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("hooks", "tax_rates")


def test_signature_verifies_with_the_documented_scheme(client, partner):
    _, headers = partner
    with Receiver() as receiver:
        endpoint = create_endpoint(client, headers, receiver.url)
        assert endpoint["secret"].startswith("whsec_")
        resp = client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/test", headers=headers)
        assert resp.status_code == 202, resp.get_json()
        [request] = receiver.wait_for(1)
    body, header = request["body"], request["headers"]["Webhook-Signature"]
    assert verify(header, body, endpoint["secret"], tolerance=300, now=int(time.time()))
    assert not verify(header, body, "whsec_wrong")
    assert not verify(header, body + b" ", endpoint["secret"])  # the exact bytes are signed
    event = receiver.events()[0]
    assert event["type"] == "webhook.test" and request["headers"]["Webhook-Id"] == event["id"]
    assert set(event) == {"id", "type", "created", "api_version", "sequence", "data"}
    # The secret is shown once: never in a later read.
    again = client.get(f"/api/v1/webhooks/endpoints/{endpoint['id']}", headers=headers)
    assert "secret" not in again.get_json()


def test_500_twice_then_200_is_one_accepted_delivery_of_three_attempts(client, partner):
    _, headers = partner
    with Receiver(statuses=[500, 500, 200]) as receiver:
        endpoint = create_endpoint(client, headers, receiver.url, ["order.placed"])
        with unit_of_work():
            _place_order()
        # The first attempt ran inline after the commit and got 500; retries are due at
        # once (tiny base delay) and are driven here as the periodic sweep would.
        for _ in range(3):
            delivery.sweep_due(now=utcnow() + timedelta(minutes=1))
        requests = receiver.wait_for(3)
    assert len(requests) == 3
    assert len({r["headers"]["Webhook-Id"] for r in requests}) == 1  # the same event
    db.session.expire_all()
    rows = db.session.scalars(select(WebhookDelivery)).all()
    assert [(d.status, d.attempts) for d in rows] == [("succeeded", 3)]
    attempts = db.session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.number)).all()
    assert [(a.number, a.response_status) for a in attempts] == [(1, 500), (2, 500), (3, 200)]
    assert attempts[0].next_retry_at is not None and attempts[2].next_retry_at is None
    assert attempts[0].error == "HTTP 500" and attempts[0].response_excerpt == "status 500\\u0007"
    log = client.get(f"/api/v1/webhooks/endpoints/{endpoint['id']}/deliveries",
                     headers=headers).get_json()
    [entry] = log["data"]
    assert entry["status"] == "succeeded" and len(entry["attempts"]) == 3
    assert entry["request_body"] == requests[0]["body"].decode()


def _place_order():
    """An order placed through the service (a runner commits it)."""
    from tests.factories import user

    customer = user()
    p = product(stock=5)
    return orders.place(customer.id, [{"product_id": str(p.id), "quantity": 1}],
                        order_body((p, 1))["shipping_address"], actor=Actor.system("tests"))


def test_4xx_is_not_retried_and_429_honours_retry_after(client, partner):
    _, headers = partner
    with Receiver(statuses=[400]) as bad, Receiver(statuses=[429],
                                                   headers={"Retry-After": "120"}) as busy:
        create_endpoint(client, headers, bad.url, ["order.placed"])
        create_endpoint(client, headers, busy.url, ["order.placed"])
        before = utcnow()
        with unit_of_work():
            _place_order()
        bad.wait_for(1), busy.wait_for(1)
    db.session.expire_all()
    by_url = {db.session.get(WebhookEndpoint, d.endpoint_id).url: d
              for d in db.session.scalars(select(WebhookDelivery))}
    refused, limited = by_url[bad.url], by_url[busy.url]
    assert (refused.status, refused.attempts, refused.next_attempt_at) == ("failed", 1, None)
    assert limited.status == "pending"
    assert limited.next_attempt_at >= before + timedelta(seconds=120)
    # Not due yet: the sweep leaves it alone.
    assert delivery.deliver(limited.id) == "skipped"


def test_replay_sends_the_same_event_id(client, partner):
    _, headers = partner
    with Receiver() as receiver:
        endpoint = create_endpoint(client, headers, receiver.url, ["order.placed"])
        with unit_of_work():
            _place_order()
        [first] = receiver.wait_for(1)
        events = client.get("/api/v1/webhooks/events", headers=headers).get_json()["data"]
        [event] = [e for e in events if e["type"] == "order.placed"]
        resp = client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay",
                           headers=headers, json={"event_id": event["id"]})
        assert resp.status_code == 202, resp.get_json()
        assert resp.get_json()["kind"] == "replay"
        second = receiver.wait_for(2)[1]
    assert first["headers"]["Webhook-Id"] == second["headers"]["Webhook-Id"] == event["id"]
    assert first["body"] == second["body"]
    assert event["payload"]["id"] == event["id"]


def test_rotation_signs_with_both_secrets_for_24_hours_then_only_the_new(client, partner):
    key, headers = partner
    with Receiver() as receiver:
        endpoint = create_endpoint(client, headers, receiver.url)
        old = endpoint["secret"]
        resp = client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret",
                           headers=headers)
        assert resp.status_code == 200
        new = resp.get_json()["secret"]
        assert new != old and resp.get_json()["previous_secret_valid_until"]
        client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/test", headers=headers)
        [during] = receiver.wait_for(1)
        assert during["headers"]["Webhook-Signature"].count("v1=") == 2
        assert verify(during["headers"]["Webhook-Signature"], during["body"], old)
        assert verify(during["headers"]["Webhook-Signature"], during["body"], new)

        # A rotation 25 hours ago (the clock passed in): only the new secret signs now.
        second = create_endpoint(client, headers, receiver.url)
        actor = Actor(kind="apikey", id=key.id, label="tests",
                      scopes=frozenset(("webhooks:write",)))
        with unit_of_work():
            _, newest = service.rotate_secret(second["id"], actor=actor,
                                              now=utcnow() - timedelta(hours=25))
        client.post(f"/api/v1/webhooks/endpoints/{second['id']}/test", headers=headers)
        later = receiver.wait_for(2)[-1]
    header = later["headers"]["Webhook-Signature"]
    assert header.count("v1=") == 1
    assert verify(header, later["body"], newest)
    assert not verify(header, later["body"], second["secret"])


def test_loopback_endpoint_refused_in_production_allowed_when_configured(client, partner, app,
                                                                          monkeypatch):
    _, headers = partner
    with Receiver() as receiver:
        monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
        monkeypatch.setitem(app.config, "APP_ENV", "production")
        for url in (receiver.url.replace("http:", "https:"), "https://[::1]/hooks",
                    "https://169.254.169.254/latest", "https://localhost/hooks",
                    "https://10.0.0.8/hooks", "https://224.0.0.1/x"):
            resp = client.post("/api/v1/webhooks/endpoints", headers=headers, json={
                "url": url, "event_types": ["order.placed"],
                "contact_email": "ops@partner.example.com"})
            assert resp.status_code == 422, url
            assert "url" in resp.get_json()["errors"]
        resp = client.post("/api/v1/webhooks/endpoints", headers=headers, json={
            "url": receiver.url, "event_types": ["order.placed"],
            "contact_email": "ops@partner.example.com"})
        assert resp.status_code == 422
        assert resp.get_json()["errors"]["url"] == ["The URL must use https."]

        monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
        endpoint = create_endpoint(client, headers, receiver.url.replace("http:", "https:"))
        assert endpoint["url"].startswith("https://127.0.0.1:")
        monkeypatch.setitem(app.config, "APP_ENV", "testing")
        allowed = create_endpoint(client, headers, receiver.url)

        # Saved while allowed, refused when sent once it no longer is: each request
        # checks the address it connects to.
        monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
        resp = client.post(f"/api/v1/webhooks/endpoints/{allowed['id']}/test", headers=headers)
        assert resp.status_code == 202
        [sent] = _log(client, headers, allowed["id"])
        assert sent["status"] == "failed" and "non-public" in sent["last_error"]
        time.sleep(0.2)
    assert receiver.requests == []


def test_dns_answer_with_a_private_address_is_refused(client, partner, app, monkeypatch):
    import socket

    _, headers = partner
    endpoint = create_endpoint(client, headers, "http://hooks.partner.example/in")
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
               (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/test", headers=headers)
    [sent] = _log(client, headers, endpoint["id"])
    assert sent["status"] == "failed" and "10.1.2.3" in sent["last_error"]
    assert sent["attempts"][0]["next_retry_at"] is None  # refused, not retried


def _log(client, headers, endpoint_id) -> list[dict]:
    resp = client.get(f"/api/v1/webhooks/endpoints/{endpoint_id}/deliveries", headers=headers)
    assert resp.status_code == 200
    return resp.get_json()["data"]


@pytest.mark.parametrize("body, field", [
    ({"url": "https://partner.example.com/h?token=abc"}, "url"),
    ({"url": "https://partner.example.com/h?api_key=abc"}, "url"),
    ({"url": "https://user:pw@partner.example.com/h"}, "url"),
    ({"url": "ftp://partner.example.com/h"}, "url"),
    ({"url": "https://partner.example.com/h#x"}, "url"),
    ({"event_types": ["order.shipped"]}, "event_types"),
    ({"event_types": []}, "event_types"),
    ({"contact_email": "not-an-email"}, "email"),
])
def test_bad_endpoints_are_refused_with_the_error_shape(client, partner, body, field):
    _, headers = partner
    payload = {"url": "https://partner.example.com/h", "event_types": ["order.placed"],
               "contact_email": "ops@partner.example.com", **body}
    resp = client.post("/api/v1/webhooks/endpoints", headers=headers, json=payload)
    assert resp.status_code == 422, resp.get_json()
    data = resp.get_json()
    assert {"code", "status", "message", "request_id"} <= set(data)
    assert field in str(data["errors"])
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_replay_of_an_unknown_event_is_404_and_sends_nothing(client, partner):
    _, headers = partner
    with Receiver() as receiver:
        endpoint = create_endpoint(client, headers, receiver.url)
        resp = client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay",
                           headers=headers,
                           json={"event_id": "00000000-0000-4000-8000-000000000000"})
        assert resp.status_code == 404 and resp.get_json()["message"] == "Event not found."
        time.sleep(0.1)
    assert receiver.requests == []
    assert db.session.scalars(select(WebhookDelivery)).all() == []


def test_partners_see_only_their_own_endpoints_and_need_the_scopes(client, partner):
    _, headers = partner
    endpoint = create_endpoint(client, headers, "https://partner.example.com/h")
    _, other_secret = api_key(("webhooks:read", "webhooks:write"), name="Other")
    other = bearer(other_secret)
    assert client.get(f"/api/v1/webhooks/endpoints/{endpoint['id']}",
                      headers=other).status_code == 404
    assert client.get("/api/v1/webhooks/endpoints", headers=other).get_json()["data"] == []
    # Order events are order data: the key must be allowed to read orders.
    resp = client.post("/api/v1/webhooks/endpoints", headers=other, json={
        "url": "https://other.example.com/h", "event_types": ["order.placed"],
        "contact_email": "ops@other.example.com"})
    assert resp.status_code == 403
    _, read_only = api_key(("webhooks:read",), name="Reader")
    resp = client.post("/api/v1/webhooks/endpoints", headers=bearer(read_only), json={
        "url": "https://other.example.com/h", "event_types": ["order.placed"],
        "contact_email": "ops@other.example.com"})
    assert resp.status_code == 403


def test_update_and_delete(client, partner):
    _, headers = partner
    endpoint = create_endpoint(client, headers, "https://partner.example.com/h")
    url = f"/api/v1/webhooks/endpoints/{endpoint['id']}"
    resp = client.patch(url, headers=headers, json={"enabled": False,
                                                    "event_types": ["order.cancelled"]})
    assert resp.status_code == 200
    assert resp.get_json()["enabled"] is False
    assert resp.get_json()["event_types"] == ["order.cancelled"]
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_placed_then_paid_order_reaches_the_partner_in_sequence(client, partner, factories):
    _, headers = partner
    with Receiver() as receiver:
        create_endpoint(client, headers, receiver.url, ["order.placed", "order.paid"])
        user = factories.user()
        customer = bearer(login(client, user.email)["access_token"])
        p = product(stock=5, price=1250)
        resp = client.post("/api/v1/orders", json=order_body((p, 2)), headers=customer)
        assert resp.status_code == 201, resp.get_json()
        order_id = resp.get_json()["id"]
        [placed] = receiver.wait_for(1)
        as_read = client.get(f"/api/v1/orders/{order_id}", headers=customer).get_json()
        event = receiver.events()[0]
        assert (event["type"], event["sequence"]) == ("order.placed", 1)
        assert event["data"]["object"] == as_read

        with unit_of_work():  # finance records the bank transfer (the back office's move)
            orders.mark_paid(order_id, actor=Actor.system("tests"), payment_reference="TRF-1")
        receiver.wait_for(2)
        paid = receiver.events()[1]
        assert (paid["type"], paid["sequence"]) == ("order.paid", 2)
        assert paid["data"]["object"] == client.get(f"/api/v1/orders/{order_id}",
                                                    headers=customer).get_json()
        assert paid["data"]["object"]["status"] == "paid"
        assert paid["api_version"] == event["api_version"]
    assert placed["headers"]["Content-Type"] == "application/json"



def test_payment_and_refund_events_reach_the_partner_as_the_api_returns_them(
        client, factories, stripe_server):
    """A card payment and a full refund (localstripe) are delivered as payment.succeeded,
    refund.succeeded and payment.refunded, each object equal to what the API returns."""
    from tests.payments_support import customer, paid_order, refund

    key = api_key(("webhooks:read", "webhooks:write", "payments:read", "payments:write"),
                  name="Payments partner")[1]
    headers = bearer(key)
    with Receiver() as receiver:
        create_endpoint(client, headers, receiver.url,
                        ["payment.succeeded", "refund.succeeded", "payment.refunded"])
        _, buyer = customer(client)
        _, payment = paid_order(client, headers=buyer, stripe_server=stripe_server)
        receiver.wait_for(1)
        done = refund(client, headers, payment["id"], amount=payment["amount"])
        assert done.status_code == 201, done.get_json()
        receiver.wait_for(3)
        by_type = {e["type"]: e for e in receiver.events()}
        assert set(by_type) == {"payment.succeeded", "refund.succeeded", "payment.refunded"}
        final = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
        assert by_type["payment.refunded"]["data"]["object"] == final
        assert by_type["payment.succeeded"]["data"]["object"]["status"] == "succeeded"
        assert by_type["payment.succeeded"]["data"]["object"].get("client_secret") is None
        assert by_type["refund.succeeded"]["data"]["object"]["id"] == done.get_json()["id"]
        sequences = [by_type[t]["sequence"] for t in ("payment.succeeded", "payment.refunded")]
        assert sequences == sorted(sequences) and len(set(sequences)) == 2


def test_an_event_past_its_retention_is_a_404_to_read_and_to_replay(client, partner):
    """Partners replay within EVENT_RETENTION_DAYS (app.retention); after, the event is
    unknown: the one JSON error, and nothing is sent."""
    import uuid

    from app import retention
    from app.webhooks.models import WebhookEvent
    from tests import retention_support as rows

    _, headers = partner
    endpoint = create_endpoint(client, headers, "https://partner.example.com/h")
    event_id = rows.webhook_event(31)
    rows.delivery(event_id, uuid.UUID(endpoint["id"]), 31, "succeeded")
    db.session.commit()
    path = f"/api/v1/webhooks/events/{event_id}"
    assert client.get(path, headers=headers).status_code == 200  # there before the purge

    assert retention.purge()["webhook_events"] == 1
    assert db.session.get(WebhookEvent, event_id) is None
    gone = client.get(path, headers=headers)
    assert gone.status_code == 404 and gone.get_json()["message"] == "Event not found."
    resp = client.post(f"/api/v1/webhooks/endpoints/{endpoint['id']}/replay", headers=headers,
                       json={"event_id": str(event_id)})
    assert resp.status_code == 404, resp.get_json()
    data = resp.get_json()
    assert {"code", "status", "message", "request_id"} <= set(data)
    assert data["code"] == 404 and data["message"] == "Event not found."
    assert data["errors"] == {"event_id": ["No such event."]}
    assert db.session.scalars(select(WebhookDelivery)).all() == []
