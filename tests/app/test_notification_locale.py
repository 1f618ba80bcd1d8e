"""Amounts and dates in a customer's messages are written in the message's language:
1.234,56 EUR and 16.03.2026 to a German reader, 1,234.56 EUR and 16 March 2026 to an
English one (as the invoice PDF writes it), whatever the handler that built the message
(order, payment, refund, invoice, credit note; email and SMS)."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.invoices import service as invoices
from app.invoices.models import Invoice
from app.notifications import templates
from app.notifications.localise import Amount, localise
from app.notifications.models import Notification
from app.notifications.samples import SAMPLES
from app.users.models import User
from tests import factories
from tests.factories import bearer, login
from tests.invoice_support import FINANCE, act, draft_with_lines
from tests.payments_support import paid_order, refund

# 1,028.80 net + 20 % GB tax = 1,234.56 gross.
NET, GROSS = 102880, 123456
REFUNDED = 23456


def _german_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _english_date(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"  # as the PDF writes it


WRITTEN = {
    "de": {"amount": "1.234,56 EUR", "tax": "205,76 EUR", "refund": "234,56 EUR",
           "date": _german_date, "not": ("1,234.56", "234.56 EUR")},
    "en": {"amount": "1,234.56 EUR", "tax": "205.76 EUR", "refund": "234.56 EUR",
           "date": _english_date, "not": ("1.234,56", "234,56 EUR")},
}


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    return bearer(secret)


def _customer(client, locale: str):
    user = factories.user(verified=True)
    row = db.session.get(User, user.id)
    row.locale = locale
    row.phone, row.phone_verified_at, row.sms_opt_in = "+49301234567", utcnow(), True
    db.session.commit()
    return row, bearer(login(client, row.email)["access_token"])


def _message(template: str, channel: str = "email") -> Notification:
    db.session.expire_all()
    return db.session.scalars(select(Notification).where(
        Notification.template == template, Notification.channel == channel)
        .order_by(Notification.created_at.desc())).first()


def _shown(row: Notification) -> str:
    return "\n".join(filter(None, (row.subject, row.shown_text, row.shown_html)))


def _written_in(text: str, locale: str) -> None:
    for wrong in WRITTEN[locale]["not"]:
        assert wrong not in text, text


@pytest.mark.parametrize("locale", ["de", "en"])
def test_order_receipt_and_refund_messages_write_amounts_in_the_readers_language(
        app, tax_rates, client, stripe_server, partner, smtp, twilio, locale):
    want = WRITTEN[locale]
    _, headers = _customer(client, locale)
    order, payment = paid_order(client, headers, stripe_server, price=NET, quantity=1,
                                currency="EUR")
    assert order["total_amount"] == GROSS

    confirmation = _shown(_message("order_confirmation"))
    assert want["amount"] in confirmation and want["tax"] in confirmation, confirmation
    _written_in(confirmation, locale)
    sms = _message("order_confirmation", "sms")
    assert sms.locale == locale and want["amount"] in sms.shown_text, sms.shown_text
    assert any(want["amount"] in m["Body"] for m in twilio.sent)

    receipt = _shown(_message("payment_receipt"))
    assert want["amount"] in receipt, receipt
    _written_in(receipt, locale)

    assert refund(client, partner, payment["id"], amount=REFUNDED).status_code == 201
    refunded = _shown(_message("refund_issued"))
    assert want["refund"] in refunded, refunded
    _written_in(refunded, locale)


@pytest.mark.parametrize("locale", ["de", "en"])
def test_invoice_due_and_credit_note_write_amounts_and_dates_in_the_readers_language(
        app, tax_rates, smtp, locale):
    want = WRITTEN[locale]
    user = factories.user()
    db.session.get(User, user.id).locale = locale
    db.session.commit()
    buyer = {"name": "Ada Lovelace", "email": user.email,
             "address": {"name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
                         "postal_code": "N1 9GU", "country": "GB"}}
    invoice = draft_with_lines(("Widget", 1, NET, "standard"), currency="EUR", buyer=buyer,
                               customer_id=user.id)
    act(invoices.finalise, invoice.id, actor=FINANCE)
    act(invoices.send, invoice.id, actor=FINANCE)
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.total_amount == GROSS and invoice.due_date is not None

    sent = _shown(_message("invoice_sent"))
    due_by = want["date"](invoice.due_date)
    assert f"{want['amount']}; {want['amount']}" in sent and due_by in sent, sent
    assert invoice.due_date.isoformat() not in sent
    _written_in(sent, locale)

    note = act(invoices.issue_credit_note, invoice.id, actor=FINANCE, amount=REFUNDED)
    act(invoices.send, note.id, actor=FINANCE)
    credited = _shown(_message("credit_note_issued"))
    assert want["refund"] in credited, credited
    issued = want["date"](invoice.issue_date)
    if locale == "de":
        assert f"Korrektur der Rechnung {invoice.number} vom {issued}" in credited, credited
    else:
        assert f"correcting invoice {invoice.number} of {issued}" in credited, credited
    assert invoice.issue_date.isoformat() not in credited
    _written_in(credited, locale)


def test_the_preview_samples_are_written_in_the_previewed_language(app):
    german = templates.render("invoice_sent", "email", SAMPLES["invoice_sent"], "de")
    assert "119,00 EUR; 119,00 EUR fällig bis 31.12.2026" in german.text
    english = templates.render("invoice_sent", "email", SAMPLES["invoice_sent"], "en")
    assert "119.00 EUR; 119.00 EUR due by 31 December 2026" in english.text


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
WRONG_DECIMALS = {"de": re.compile(r"\d\.\d{2} EUR"), "en": re.compile(r"\d,\d{2} EUR")}


@pytest.mark.parametrize("name, channel", [(name, channel)
                                           for name, spec in templates.TEMPLATES.items()
                                           for channel in sorted(spec.channels)])
@pytest.mark.parametrize("locale", ["de", "en"])
def test_no_template_writes_an_amount_or_a_date_another_languages_way(app, name, channel,
                                                                      locale):
    out = templates.render(name, channel, SAMPLES[name], locale)
    text = "\n".join(filter(None, (out.subject, out.text, out.html)))
    assert not WRONG_DECIMALS[locale].search(text) and not ISO_DATE.search(text), text


def test_localise_walks_the_context_and_leaves_other_values_alone(app, monkeypatch):
    context = {"total": Amount(-123456, "KWD"), "lines": [{"total": Amount(5, "JPY")}],
               "on": date(2026, 3, 2), "name": "Ada", "count": 3, "flag": None}
    assert localise(context, "de") == {"total": "-123,456 KWD", "lines": [{"total": "5 JPY"}],
                                       "on": "02.03.2026", "name": "Ada", "count": 3,
                                       "flag": None}
    # A moment is the seller's calendar day (Berlin: already 2 March at 23:30 UTC).
    monkeypatch.setitem(app.config, "SELLER_TIMEZONE", "Europe/Berlin")
    assert localise(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "en") == "2 March 2026"


def _pdf_text(invoice_id) -> str:
    import io

    from pypdf import PdfReader

    from app.invoices import documents, pdf

    data = pdf.render(documents.load_for_render(invoice_id))
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                    .split())


def test_an_email_writes_dates_and_amounts_as_the_pdf_it_comes_with(app, tax_rates, smtp):
    """The invoice email and its PDF, the credit note email and its PDF: the same due
    date, the same date of the corrected invoice, the same credited amount with the same
    sign, word for word. (The PDF is in English; a German email writes the same dates
    the German way.)"""
    user = factories.user()
    buyer = {"name": "Ada Lovelace", "email": user.email,
             "address": {"name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
                         "postal_code": "N1 9GU", "country": "GB"}}
    invoice = draft_with_lines(("Widget", 1, NET, "standard"), currency="EUR", buyer=buyer,
                               customer_id=user.id)
    act(invoices.finalise, invoice.id, actor=FINANCE)
    act(invoices.send, invoice.id, actor=FINANCE)
    invoice = db.session.get(Invoice, invoice.id)
    due = _english_date(invoice.due_date)
    issued = _english_date(invoice.issue_date)

    sent = " ".join(_shown(_message("invoice_sent")).split())
    pdf_text = _pdf_text(invoice.id)
    assert f"due by {due}" in sent, sent
    assert f"Due date {due}" in pdf_text and f"by {due}" in pdf_text, pdf_text

    note = act(invoices.issue_credit_note, invoice.id, actor=FINANCE, amount=REFUNDED)
    act(invoices.send, note.id, actor=FINANCE)
    credited = " ".join(_shown(_message("credit_note_issued")).split())
    note_pdf = _pdf_text(note.id)
    amount = WRITTEN["en"]["refund"]  # 234.56 EUR: positive in the email and on the PDF
    assert f"{amount} credited, correcting invoice {invoice.number} of {issued}" in credited
    assert f"AMOUNT CREDITED {amount}" in note_pdf and f"Total credited {amount}" in note_pdf
    assert f"Corrects {invoice.number} of {issued}" in note_pdf
    assert f"-{amount}" not in note_pdf and f"-{amount}" not in credited


def test_pdfs_and_messages_write_a_date_with_one_function(app):
    from app.invoices.pdf_layout import long_date

    for day in (date(2026, 1, 5), date(2026, 12, 31), date(2027, 3, 2)):
        assert long_date(day) == localise(day, "en") == _english_date(day)
        assert localise(day, "de") == _german_date(day)
