"""Webhook endpoints in the back office: created (secret shown once), delivery log,
test delivery, replay, disable and enable; admin and support only."""
import re

from sqlalchemy import select

from app.extensions import db
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.webhook_receiver import Receiver, verify
from tests.webhook_support import hooks  # noqa: F401 (fixture)

LIST = "/admin/webhooks/"


def _create(bo, url):
    resp = bo.post(f"{LIST}new/", {"url": url, "event_types": ["order.placed", "order.paid"],
                                   "contact_email": "ops@partner.example.com",
                                   "description": "Partner A"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    html = resp.get_data(as_text=True)
    secret = re.search(r'id="new-webhook-secret">([^<]+)<', html).group(1)
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    return endpoint, secret


def _act(bo, endpoint, action, **fields):
    details = f"{LIST}details/?id={endpoint.id}"
    return bo.post(f"{LIST}act/", {"id": str(endpoint.id), "action": action, **fields},
                   token_from=details)


def test_support_creates_tests_replays_disables_and_enables(login_as, hooks):
    bo, _ = login_as("support")
    with Receiver() as receiver:
        endpoint, secret = _create(bo, receiver.url)
        assert secret.startswith("whsec_")
        assert _act(bo, endpoint, "test").status_code == 302
        [sent] = receiver.wait_for(1)
        assert verify(sent["headers"]["Webhook-Signature"], sent["body"], secret)
        event_id = sent["headers"]["Webhook-Id"]

        page = bo.get(f"{LIST}details/?id={endpoint.id}").get_data(as_text=True)
        assert "webhook.test" in page and event_id in page and secret not in page
        assert "ops@partner.example.com" in page

        assert _act(bo, endpoint, "replay", event_id=event_id).status_code == 302
        assert receiver.wait_for(2)[1]["headers"]["Webhook-Id"] == event_id
        resp = _act(bo, endpoint, "replay", event_id="not-an-event")
        assert resp.status_code == 302
        assert "Event not found" in bo.get(resp.headers["Location"]).get_data(as_text=True)

        _act(bo, endpoint, "disable", reason="Partner asked us to pause")
        db.session.expire_all()
        row = db.session.get(WebhookEndpoint, endpoint.id)
        assert not row.enabled and row.disabled_reason == "Partner asked us to pause"
        _act(bo, endpoint, "enable")
        db.session.expire_all()
        assert db.session.get(WebhookEndpoint, endpoint.id).enabled
    assert len(db.session.scalars(select(WebhookDelivery)).all()) == 2
    assert receiver.url in bo.get(LIST).get_data(as_text=True)


def test_refused_url_is_a_form_message_and_nothing_is_saved(login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    bo, _ = login_as("admin")
    resp = bo.post(f"{LIST}new/", {"url": "http://partner.example.com/h",
                                   "event_types": ["order.placed"],
                                   "contact_email": "ops@partner.example.com"})
    assert resp.status_code == 200
    assert "must use https" in resp.get_data(as_text=True)
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_finance_may_not_see_webhooks(login_as):
    bo, _ = login_as("finance")
    assert bo.get(LIST).status_code == 403


def test_replay_of_an_event_past_its_retention_is_a_message_not_an_error(login_as, hooks):
    """The event id from an old support ticket, purged since (app.retention)."""
    from app import retention
    from tests import retention_support as rows

    bo, _ = login_as("support")
    endpoint, _ = _create(bo, "https://partner.example.com/h")
    event_id = rows.webhook_event(31)
    rows.delivery(event_id, endpoint.id, 31, "failed")
    db.session.commit()
    assert retention.purge()["webhook_events"] == 1

    resp = _act(bo, endpoint, "replay", event_id=str(event_id))
    assert resp.status_code == 302
    page = bo.get(resp.headers["Location"])
    assert page.status_code == 200 and "Event not found" in page.get_data(as_text=True)
    assert db.session.scalars(select(WebhookDelivery)).all() == []
