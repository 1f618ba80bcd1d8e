"""#13 finding 8, the rest: exports of personal data (every CSV, XLSX and ZIP the back
office hands out) are audited with who, what, how many rows and the filters; retries of
deliveries (event handlers such as emails, partners' webhooks, and staff's Retry) are
audited; an API key's calls are audited under the key's id."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.types import utcnow
from app.core.uow import unit_of_work
from app.events.models import EventDelivery
from app.extensions import db
from app.invoices import service as invoices
from app.invoices.export_models import InvoiceExport
from app.webhooks import delivery
from app.webhooks.models import WebhookDelivery
from tests.factories import api_key, bearer
from tests.invoice_support import FINANCE, draft_with_lines, rates
from tests.webhook_receiver import Receiver
from tests.webhook_support import create_endpoint

EXPORTS = "/admin/invoice-exports/"


def _entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.occurred_at)).all()


@unit_of_work()
def _issued(currency_lines=(("Widget", 2, 1000, "standard"),), **kwargs):
    invoice = draft_with_lines(*currency_lines, **kwargs)
    return invoices.finalise(invoice.id, actor=FINANCE)


@pytest.fixture
def finance(app, login_as):
    rates()
    return login_as("finance")


def test_invoice_csv_xlsx_and_zip_exports_are_audited(finance):
    bo, staff = finance
    first, second = _issued(), _issued()
    draft_with_lines(("Draft", 1, 100, "standard"))  # no number: never exported
    from app.core import uow

    uow.commit()

    assert bo.get(f"{EXPORTS}invoices.csv?series=INV&status=finalised").status_code == 200
    assert bo.get(f"{EXPORTS}invoices.xlsx").status_code == 200
    csv_entry, xlsx_entry = _entries("data.export")
    for entry, fmt in ((csv_entry, "csv"), (xlsx_entry, "xlsx")):
        assert entry.actor_kind == "staff" and entry.actor_id == staff.id
        assert entry.after["dataset"] == "invoices" and entry.after["format"] == fmt
        assert entry.after["rows"] == 2
        assert entry.ip == "127.0.0.1" and entry.request_id
    assert csv_entry.after["filters"] == {"series": "INV", "status": "finalised"}
    assert xlsx_entry.after["filters"] == {}

    # The ZIP: its request names the filters, each download is on the record too.
    resp = bo.post(f"{EXPORTS}zip?series=INV", token_from="/admin/invoices/")
    assert resp.status_code == 302
    export = db.session.scalars(select(InvoiceExport)).one()
    [requested] = _entries("invoice.export_zip")
    assert requested.after == {"count": 2, "filters": {"series": "INV"}}
    download = bo.get(f"{EXPORTS}{export.id}/download")
    assert zipfile.is_zipfile(io.BytesIO(download.data))
    zip_entry = _entries("data.export")[-1]
    assert zip_entry.after == {"dataset": "invoice_pdfs", "format": "zip", "rows": 2,
                               "filters": {}}
    assert zip_entry.target_id == str(export.id) and zip_entry.actor_id == staff.id


def test_list_exports_of_the_back_office_are_audited(login_as, factories):
    bo, staff = login_as("admin")
    factories.staff("support")  # a row for the audit log's list
    resp = bo.get("/admin/audit/export/csv/?search=staff")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    resp.get_data()  # the stream is read, as a browser would
    [entry] = _entries("data.export")
    assert entry.actor_id == staff.id
    assert entry.after["dataset"] == "audit_log" and entry.after["format"] == "csv"
    assert entry.after["rows"] >= 1 and entry.after["filters"] == {"search": "staff"}


def test_a_crafted_export_url_cannot_bloat_the_audit_entry(finance):
    bo, _ = finance
    query = "&".join(f"k{i}={'x' * 5000}" for i in range(100))
    assert bo.get(f"{EXPORTS}invoices.csv?{query}").status_code == 200
    [entry] = _entries("data.export")
    filters = entry.after["filters"]
    assert len(filters) <= 30 and all(len(v) <= 200 for v in filters.values())


def test_email_retries_and_staff_retry_are_audited(login_as, factories, monkeypatch):
    def smtp_down(evt):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patched:
        patched.setattr("app.users.notifications.send_verification_email", smtp_down)
        factories.user()
    failed = db.session.scalars(select(EventDelivery)).one()
    assert failed.status == "failed" and not _entries("event_delivery.retry")

    bo, staff = login_as("admin")
    assert bo.action("/admin/deliveries/", "retry", [failed.id]).status_code == 302
    [asked] = _entries("event_delivery.retry_requested")
    assert asked.actor_id == staff.id and asked.target_id == str(failed.id)
    assert asked.after["handler"] == "email.verify"
    [retry] = _entries("event_delivery.retry")
    assert retry.actor_kind == "system" and retry.target_id == str(failed.id)
    assert retry.after["attempt"] == 2 and retry.after["handler"] == "email.verify"
    assert "smtp down" in retry.after["previous_error"]


@pytest.mark.usefixtures("tax_rates")
def test_webhook_delivery_retries_are_audited(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", True)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_BASE_SECONDS", 0.001)
    key, secret = api_key(("webhooks:read", "webhooks:write", "orders:read"), name="Hooks")
    with Receiver(statuses=[500, 503, 200]) as receiver:
        create_endpoint(client, bearer(secret), receiver.url, ["order.placed"])
        from tests.api.test_webhooks import _place_order

        with unit_of_work():
            _place_order()
        for _ in range(3):
            delivery.sweep_due(now=utcnow() + timedelta(minutes=1))
        receiver.wait_for(3)
    [row] = db.session.scalars(select(WebhookDelivery)).all()
    scheduled = _entries("webhook_delivery.retry_scheduled")
    retried = _entries("webhook_delivery.retried")
    assert [e.after["attempt"] for e in scheduled] == [1, 2]
    assert [e.after["status_code"] for e in scheduled] == [500, 503]
    assert [(e.after["attempt"], e.after["outcome"]) for e in retried] == [
        (2, "retrying"), (3, "succeeded")]
    assert {e.target_id for e in scheduled + retried} == {str(row.id)}
    assert all(e.actor_kind == "system" and e.actor_label == "webhooks"
               for e in scheduled + retried)


def test_api_key_calls_are_audited_by_key_id(client):
    key, secret = api_key(("webhooks:write", "orders:read"), name="Acme")
    other, _ = api_key(("webhooks:write",), name="Acme")  # the same name: the id tells
    resp = client.post("/api/v1/webhooks/endpoints", headers=bearer(secret), json={
        "url": "https://hooks.example.com/in", "event_types": ["order.placed"],
        "contact_email": "ops@acme.example.com"})
    assert resp.status_code == 201, resp.get_json()
    [entry] = _entries("webhook_endpoint.create")
    assert entry.actor_kind == "apikey" and entry.actor_id == key.id != other.id
    assert entry.actor_label == "apikey:Acme"
    assert entry.request_id == resp.headers["X-Request-ID"] and entry.ip == "127.0.0.1"
