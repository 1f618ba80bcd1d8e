"""Webhook delivery rules: backoff, giving up, disabling an endpoint, the type registry."""
from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.core.types import utcnow
from app.core.uow import unit_of_work
from app.events import registry
from app.events.models import OutboxEvent
from app.extensions import db
from app.webhooks import delivery, service, types
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.webhook_receiver import Receiver
from tests.webhook_support import hooks  # noqa: F401 (fixture)

STAFF = Actor(kind="staff", label="staff:tests", role="admin")


def test_every_public_type_resolves_and_is_fanned_out():
    for public in types.PUBLIC_TYPES:
        module, _, func = public.render.partition(":")
        assert callable(getattr(importlib.import_module(module), func)), public.name
        assert any(h.name == "webhooks.fan_out" for h in registry.handlers_for(public.source))
    fan_out = registry.WEBHOOK_FAN_OUT
    module, _, func = fan_out.path.partition(":")
    assert callable(getattr(importlib.import_module(module), func))
    assert fan_out.queue in registry.QUEUES


def test_backoff_is_full_jitter_under_an_exponential_ceiling(app):
    app.config.update(WEBHOOK_RETRY_BASE_SECONDS=30, WEBHOOK_RETRY_CAP_SECONDS=3600)
    for attempt, ceiling in ((1, 30), (2, 60), (5, 480), (12, 3600), (40, 3600)):
        delays = [delivery.retry_delay(attempt) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling / 2  # spread over the range, not fixed
    assert delivery.retry_delay(1, retry_after=900) >= 900


def test_a_delivery_failing_for_three_days_gives_up_and_disables_the_endpoint(
        app, hooks, smtp):
    with Receiver(statuses=[503] * 10) as receiver:
        with unit_of_work():
            endpoint, _ = service.create(url=receiver.url, event_types=["order.placed"],
                                         contact_email="ops@partner.example.com", actor=STAFF)
        with unit_of_work():
            test = service.send_test(endpoint.id, actor=STAFF)
        receiver.wait_for(1)
        db.session.expire_all()
        # A failed test is not retried and is not the endpoint failing.
        assert db.session.get(WebhookDelivery, test.id).status == "failed"
        assert db.session.get(WebhookEndpoint, endpoint.id).failing_since is None

        start = utcnow()
        with unit_of_work():
            again = WebhookDelivery(event_id=test.event_id, endpoint_id=endpoint.id,
                                    kind="event", created_at=start)
            db.session.add(again)
        assert delivery.deliver(again.id, now=start) == "retrying"
        assert delivery.deliver(again.id, now=start + timedelta(days=1)) == "retrying"
        db.session.expire_all()
        assert db.session.get(WebhookEndpoint, endpoint.id).enabled
        # Three days after the first failure: given up, and the endpoint is disabled.
        assert delivery.deliver(again.id, now=start + timedelta(days=3, seconds=1)) == "failed"
        [mail] = smtp.wait_for(1)
    db.session.expire_all()
    stopped = db.session.get(WebhookEndpoint, endpoint.id)
    assert not stopped.enabled and "3 days" in stopped.disabled_reason
    assert mail["To"] == "ops@partner.example.com" and receiver.url in mail.get_body(("plain",)).get_content()
    assert db.session.scalars(select(OutboxEvent.type).where(
        OutboxEvent.type == "webhook_endpoint.disabled")).all() == ["webhook_endpoint.disabled"]
    # Nothing more is sent to it until its owner enables it again.
    with unit_of_work():
        event = WebhookDelivery(event_id=test.event_id, endpoint_id=endpoint.id, kind="event")
        db.session.add(event)
    assert delivery.deliver(event.id) == "failed"
    with unit_of_work():
        service.enable(endpoint.id, actor=STAFF)
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, endpoint.id).failing_since is None


def test_sequence_follows_each_object(app, tax_rates, factories):
    from app.orders import service as orders
    from tests.orders_support import ADDRESS, product

    customer = factories.user()
    p = product(stock=5)
    system = Actor.system("tests")
    with unit_of_work():
        first = orders.place(customer.id, [{"product_id": str(p.id), "quantity": 1}], ADDRESS,
                             actor=system)
    with unit_of_work():
        second = orders.place(customer.id, [{"product_id": str(p.id), "quantity": 1}],
                              ADDRESS, actor=system)
    with unit_of_work():
        orders.cancel(first.id, actor=system)
    rows = db.session.execute(select(OutboxEvent.type, OutboxEvent.payload)
                              .order_by(OutboxEvent.created_at)).all()
    numbered = [(t, p.get("order_id"), p.get("sequence")) for t, p in rows
                if t.startswith("order.")]
    assert numbered == [("order.placed", str(first.id), 1), ("order.placed", str(second.id), 1),
                        ("order.cancelled", str(first.id), 2)]


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/x", "https://[::ffff:127.0.0.1]/x",
                                 "https://0.0.0.0/x", "https://100.64.0.1/x"])
def test_non_public_literals_are_refused_unless_allowed(app, url):
    from app.core.errors import InvalidInput
    from app.webhooks.targets import check_url

    with pytest.raises(InvalidInput):
        check_url(url)
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True
    try:
        assert check_url(url) == url
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False


def test_retry_due_command_sends_what_is_due(app, hooks, runner):
    with Receiver(statuses=[500, 500, 200]) as receiver:
        with unit_of_work():
            endpoint, _ = service.create(url=receiver.url, event_types=["order.placed"],
                                         contact_email="ops@partner.example.com", actor=STAFF)
        with unit_of_work():
            replayed = service.send_test(endpoint.id, actor=STAFF)
        with unit_of_work():
            row = service.replay(endpoint.id, replayed.event_id, actor=STAFF)
        receiver.wait_for(2)
        db.session.expire_all()
        assert db.session.get(WebhookDelivery, row.id).status == "pending"  # a replay retries
        import time

        time.sleep(0.05)  # past the tiny backoff of the hooks fixture
        result = runner.invoke(args=["webhooks", "retry-due"])
        assert result.exit_code == 0 and "Handed over 1" in result.output
        receiver.wait_for(3)
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, row.id).status == "succeeded"
