"""The notification service end to end: real SMTP (aiosmtpd), the real twilio SDK
against a local fake (tests/twilio_server.py), jobs run inline after commit. Retries
run at once here (backoff 0); tests/jobs/test_notification_jobs.py runs them on RQ."""
from __future__ import annotations

import base64
import logging
import re

import pytest
from sqlalchemy import func, select

from app.core.errors import InvalidInput
from app.core.uow import unit_of_work
from app.extensions import db
from app.invoices import service as invoices
from app.notifications import service
from app.notifications.models import Notification
from app.notifications.service import Recipient, notify
from tests.invoice_support import FINANCE, act, draft_with_lines, rates

REFUND = {"name": "Ada", "order_label": "#1042", "invoice_number": None, "amount": "12.00 EUR"}


def _notify(recipient, template="refund_issued", context=REFUND, channels=("email",), key="k1",
            **kw):
    with unit_of_work():
        return notify(recipient, template, context, channels, dedupe_key=key, **kw)


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(Notification).order_by(Notification.created_at)).all()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification))


# --- email ------------------------------------------------------------------------

def test_an_invoice_email_arrives_once_with_headers_both_parts_and_the_pdf(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_REPLY_TO", "Billing <billing@nextgen.example>")
    rates()
    invoice = draft_with_lines(("Widget", 2, 2500, "standard"))
    act(invoices.finalise, invoice.id, actor=FINANCE)
    act(invoices.send, invoice.id, actor=FINANCE)
    [mail] = smtp.wait_for(1)
    [row] = _rows()
    assert (row.status, row.attempts, row.template) == ("sent", 1, "invoice_sent")
    number = db.session.get(type(invoice), invoice.id).number
    assert mail["To"] == row.recipient and mail["Subject"] == f"Invoice {number}"
    assert mail["From"] == app.config["MAIL_FROM"]
    assert mail["Reply-To"] == "Billing <billing@nextgen.example>"
    assert mail["Message-ID"] == row.provider_message_id == f"<{row.id}@nextgen.example>"
    assert "List-Unsubscribe" not in mail  # transactional, not a reminder
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"Invoice {number}" in text and "<p>" not in text
    assert html.lstrip().startswith("<!doctype html>") and f"Invoice {number}" in html
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == f"{number}.pdf"
    assert pdf.get_content().startswith(b"%PDF")

    # The job again (a duplicate, a retry): claimed already, nothing sent twice.
    assert service.deliver(row.id) == "skipped"
    assert len(smtp.wait_for(2, timeout=0.5)) == 1


def test_a_reminder_carries_list_unsubscribe(app, smtp):
    rates()
    invoice = draft_with_lines(("Widget", 1, 1000, "standard"))
    act(invoices.finalise, invoice.id, actor=FINANCE)
    from app.invoices.notifications import document

    _notify(Recipient(email="buyer@example.com"), "overdue_reminder",
            {"name": "Buyer", "doc": document(db.session.get(type(invoice), invoice.id))})
    [mail] = smtp.wait_for(1)
    assert mail["List-Unsubscribe"] == "<mailto:no-reply@nextgen.example?subject=unsubscribe>"
    assert "overdue" in mail["Subject"]


def test_smtp_busy_twice_then_accepting_delivers_one_message_on_the_third_attempt(app, flaky_smtp):
    flaky_smtp.replies = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]
    _notify(Recipient(email="ada@example.com"))
    [row] = _rows()
    assert (row.status, row.attempts, row.error) == ("sent", 3, None)
    assert flaky_smtp.attempts == 3 and len(flaky_smtp.inner.messages) == 1


def test_a_permanent_smtp_refusal_fails_at_once(app, flaky_smtp):
    flaky_smtp.replies = ["550 5.1.1 No such user"]
    _notify(Recipient(email="nobody@example.com"))
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 1) and "550" in row.error
    assert flaky_smtp.attempts == 1 and flaky_smtp.inner.messages == []


def test_transient_failures_stop_at_the_email_policy_of_five_attempts(app, flaky_smtp):
    flaky_smtp.replies = ["421 4.7.0 Busy"] * 6
    _notify(Recipient(email="ada@example.com"))
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 5) and "421" in row.error
    assert flaky_smtp.attempts == 5


def test_connection_refused_is_transient(app, monkeypatch):
    from tests.conftest import free_port

    for key, value in (("MAIL_BACKEND", "smtp"), ("SMTP_PORT", free_port()),
                       ("NOTIFY_BACKOFF_SECONDS", 0)):
        monkeypatch.setitem(app.config, key, value)
    _notify(Recipient(email="ada@example.com"))
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 5)
    assert "ConnectionRefusedError" in row.error


def test_the_same_dedupe_key_queues_and_sends_once(app, smtp):
    first = _notify(Recipient(email="ada@example.com"))
    again = _notify(Recipient(email="ada@example.com"))
    assert [r.id for r in first] == [r.id for r in again]
    assert _count() == 1 and len(smtp.wait_for(2, timeout=0.5)) == 1


def test_a_rollback_queues_and_sends_nothing(app, smtp):
    with pytest.raises(RuntimeError):
        with unit_of_work():
            notify(Recipient(email="ada@example.com"), "refund_issued", REFUND, dedupe_key="x")
            raise RuntimeError("the business operation failed")
    assert _count() == 0 and smtp.wait_for(1, timeout=0.3) == []


def test_the_recipients_language_is_used_where_a_translation_exists(app, smtp):
    _notify(Recipient(email="de@example.com", locale="de-AT"), key="de")
    _notify(Recipient(email="fr@example.com", locale="fr"), key="fr")  # none: English
    by_to = {m["To"]: m for m in smtp.wait_for(2)}
    assert by_to["de@example.com"]["Subject"] == "Erstattung für Ihre Bestellung #1042"
    assert "Hallo Ada," in by_to["de@example.com"].get_body(("plain",)).get_content()
    assert by_to["fr@example.com"]["Subject"] == "Refund for your order #1042"
    assert {r.locale for r in _rows()} == {"de", "en"}


def test_a_verification_token_is_sent_but_never_shown_kept_or_logged(app, smtp, caplog):
    from app.users import service as users

    caplog.set_level(logging.DEBUG)
    with unit_of_work():
        user = users.register("tok@example.com", "a long enough passphrase 42", "Tok")
    [mail] = smtp.wait_for(1)
    token = re.search(r"token=(\S+)", mail.get_body(("plain",)).get_content()).group(1)
    users.verify_email(token)  # the real one
    [row] = _rows()
    assert token.rsplit(".", 2)[0] not in row.shown_text and "[hidden]" in row.shown_text
    assert row.payload is None  # the sendable copy, with the token, is gone once sent
    assert token.rsplit(".", 2)[0] not in caplog.text


def test_the_log_backend_logs_who_and_what_never_the_body(app, caplog):
    from app.users import service as users

    caplog.set_level(logging.INFO, logger="app.notifications.email")
    with unit_of_work():
        user = users.register("logged@example.com", "a long enough passphrase 42", "L")
    token = users.verification_token(user).rsplit(".", 2)[0]  # the signed part, any second
    assert "logged@example.com" in caplog.text and "Confirm your email address" in caplog.text
    assert token not in caplog.text


def test_development_writes_emails_and_sms_to_the_outbox_folder(app, monkeypatch, tmp_path):
    import email
    import json

    monkeypatch.setitem(app.config, "INSTANCE_PATH", str(tmp_path))
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "outbox")
    monkeypatch.setitem(app.config, "SMS_BACKEND", "outbox")
    _notify(Recipient(email="ada@example.com", phone="+4930123456"), "payment_failed",
            FAILED, channels=("email", "sms"))
    rows = {r.channel: r for r in _rows()}
    eml = tmp_path / "outbox" / f"{rows['email'].id}.eml"
    sms = json.loads((tmp_path / "outbox" / f"{rows['sms'].id}.json").read_text())
    assert email.message_from_bytes(eml.read_bytes())["Subject"] == \
        "Your payment for order #1042 did not go through"
    assert sms["to"] == "+4930123456" and "#1042" in sms["body"]
    assert {r.status for r in rows.values()} == {"sent"}


def test_production_without_smtp_refuses_to_send_and_is_not_ready(tmp_path):
    from tests.conftest import own_app

    env = {"APP_ENV": "production", "SECRET_KEY": "k" * 8 + "production-secret-0123456789abcdef",
           "PUBLIC_BASE_URL": "https://shop.example.com", "MAIL_BACKEND": ""}
    with own_app(tmp_path, **env) as app:
        assert app.config["MAIL_BACKEND"] == "unconfigured"
        resp = app.test_client().get("/readyz")
        assert resp.status_code == 503 and resp.get_json()["checks"]["email"].startswith("unconfigured")
        _notify(Recipient(email="ada@example.com"))
        [row] = _rows()
        assert (row.status, row.attempts) == ("failed", 1) and "SMTP_HOST" in row.error


# --- SMS --------------------------------------------------------------------------

FAILED = {"name": "Ada", "order_label": "#1042", "invoice_number": None, "amount": "9.00 EUR",
          "reason_code": "card_declined", "reason": "Your card was declined.", "card": True}


def test_an_sms_is_the_exact_twilio_rest_request(app, twilio):
    from tests.twilio_server import ACCOUNT_SID, AUTH_TOKEN, FROM

    _notify(Recipient(phone="+49 (30) 123-4567"), "payment_failed", FAILED, channels=("sms",))
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["authorization"] == "Basic " + base64.b64encode(
        f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert request["form"] == {"To": "+49301234567", "From": FROM, "Body": (
        "NextGen Market: your payment of 9.00 EUR for order #1042 failed. "
        "Your order is still open.")}
    [row] = _rows()
    assert (row.status, row.attempts, row.channel) == ("sent", 1, "sms")
    assert row.provider_message_id == twilio.sent[0]["sid"]


def test_twilio_5xx_twice_then_success_is_retried(app, twilio, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    twilio.failures = [500, 503]
    _notify(Recipient(phone="+4930123456"), "payment_failed", FAILED, channels=("sms",))
    [row] = _rows()
    assert (row.status, row.attempts) == ("sent", 3)
    assert len(twilio.requests) == 3 and len(twilio.sent) == 1


def test_twilio_429_counts_as_transient_and_sms_stops_at_three_attempts(app, twilio, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    twilio.failures = [429, 500, 500, 500]
    _notify(Recipient(phone="+4930123456"), "payment_failed", FAILED, channels=("sms",))
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 3) and "Twilio 500" in row.error
    assert len(twilio.requests) == 3 and twilio.sent == []


def test_a_number_twilio_rejects_fails_at_once(app, twilio, monkeypatch):
    from tests.twilio_server import INVALID_TO

    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    _notify(Recipient(phone=INVALID_TO), "payment_failed", FAILED, channels=("sms",))
    [row] = _rows()
    assert (row.status, row.attempts) == ("failed", 1) and "21211" in row.error
    assert len(twilio.requests) == 1


def test_one_notify_sends_email_and_sms_each_once(app, smtp, twilio):
    rows = _notify(Recipient(email="ada@example.com", phone="+4930123456"), "payment_failed",
                   FAILED, channels=("email", "sms"))
    assert {r.dedupe_key for r in rows} == {"k1", "k1:sms"}
    assert len(smtp.wait_for(1)) == 1 and len(twilio.sent) == 1


# --- bad input: refused before anything is written --------------------------------

@pytest.mark.parametrize("recipient, template, context, channels, field", [
    (Recipient(email="a@example.com"), "refund_issued", {"name": "A"}, ("email",), "context"),
    (Recipient(email="a@example.com"), "no_such_template", REFUND, ("email",), "template"),
    (Recipient(email="not an address"), "refund_issued", REFUND, ("email",), "email"),
    (Recipient(email="a@example.com\r\nBcc: x@evil.example"), "refund_issued", REFUND,
     ("email",), "email"),
    (Recipient(phone="12345"), "payment_failed", FAILED, ("sms",), "phone"),
    (Recipient(phone="+49 30 12345678901234567"), "payment_failed", FAILED, ("sms",), "phone"),
    (Recipient(email="a@example.com"), "refund_issued", REFUND, ("sms",), "channels"),
    (Recipient(email="a@example.com"), "refund_issued", REFUND, ("fax",), "channels"),
])
def test_bad_input_is_refused_and_nothing_is_queued(app, smtp, recipient, template, context,
                                                    channels, field):
    with pytest.raises(InvalidInput) as err:
        _notify(recipient, template, context, channels)
    assert field in err.value.errors
    assert _count() == 0 and smtp.wait_for(1, timeout=0.3) == []


def test_a_missing_variable_is_named(app):
    with pytest.raises(InvalidInput) as err:
        _notify(Recipient(email="a@example.com"), context={"name": "A"})
    assert "amount" in err.value.message and "order_label" in err.value.message


def test_header_injection_in_a_subject_or_name_stays_inside_its_header(app, smtp):
    from app.notifications import email

    _notify(Recipient(email="ada@example.com"), context={
        **REFUND, "order_label": "#1042\r\nBcc: victim@evil.example\r\n"})
    [mail] = smtp.wait_for(1)
    assert mail["Bcc"] is None and "Bcc" not in mail.keys()
    assert mail["Subject"] == "Refund for your order #1042 Bcc: victim@evil.example"
    built = email.build(notification_id="n1", to="ada@example.com",
                        to_name="Ada\r\nBcc: victim@evil.example", subject="Hi\nX-Evil: 1",
                        text="t", html=None)
    assert built["Bcc"] is None and built["X-Evil"] is None
    assert "\n" not in built["To"] and built["Subject"] == "Hi X-Evil: 1"


# --- exactly once: the claim ------------------------------------------------------

def test_a_worker_killed_mid_send_is_settled_as_failed_not_resent(app, smtp, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import update

    from app.core.types import utcnow

    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    monkeypatch.setattr(service, "enqueue", lambda *a, **k: None)  # nobody runs the job
    [row] = _notify(Recipient(email="ada@example.com"))
    # As a worker that claimed it and died before recording the outcome leaves it:
    db.session.execute(update(Notification).values(
        status="sending", attempts=1, claimed_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert service.deliver(row.id) == "skipped"  # a duplicate job cannot take it over
    assert service.sweep()["interrupted"] == 1
    [row] = _rows()
    assert row.status == "failed" and "Interrupted" in row.error
    assert smtp.wait_for(1, timeout=0.3) == []


def test_resend_is_a_new_audited_notification_and_refused_for_one_time_secrets(app, smtp):
    from app.audit.models import AuditEntry
    from app.core.actor import Actor
    from app.core.errors import Conflict
    from app.users import service as users

    [row] = _notify(Recipient(email="ada@example.com"))
    staff = Actor(kind="staff", label="ops@nextgen.example")
    with unit_of_work():
        copy = service.resend(row.id, actor=staff)
    assert len(smtp.wait_for(2)) == 2
    assert copy.resend_of == row.id and _rows()[-1].status == "sent"
    assert db.session.scalars(select(AuditEntry.action)).all().count("notification.resend") == 1
    with unit_of_work():
        users.register("sec@example.com", "a long enough passphrase 42", "S")
    secret = [r for r in _rows() if r.template == "email_verification"][0]
    with pytest.raises(Conflict):
        with unit_of_work():
            service.resend(secret.id, actor=staff)


def test_the_sms_invoice_link_opens_the_pdf_and_a_forged_one_does_not(app, client):
    from app.users import tokens

    rates()
    invoice = draft_with_lines(("Widget", 1, 1000, "standard"))
    act(invoices.finalise, invoice.id, actor=FINANCE)
    token = tokens.sign("invoice-pdf", {"invoice_id": str(invoice.id)})
    resp = client.get(f"/documents/invoice?token={token}")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert resp.headers["Content-Type"] == "application/pdf"
    assert client.get(f"/documents/invoice?token={token}x").status_code == 422
    forged = tokens.sign("verify-email", {"invoice_id": str(invoice.id)})  # another purpose
    assert client.get(f"/documents/invoice?token={forged}").status_code == 422
