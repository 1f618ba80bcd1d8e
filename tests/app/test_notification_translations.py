"""Every notification template reads German to a German recipient: no English word of the
template's own is left (what the context brings, names, numbers, links, is data), and
the words that came from code (a document's kind, the invoice a credit note corrects,
why a payment failed, who asked for a staff link) are worded by the template."""
from __future__ import annotations

import re

import pytest

from app.invoices import service as invoices
from app.invoices.notifications import document
from app.notifications import templates
from app.notifications.samples import SAMPLES
from tests.invoice_support import FINANCE, act, draft_with_lines, rates

# Words a German message never needs; "Code", "Link", "Apps", "Webhook" and
# "Backoffice" are German too, and "was", "die", "an" are German words.
ENGLISH = ("invoice", "credit note", "receipt", "reminder", "hello", "thank", "thanks",
           "your", "you", "refund", "refunded", "order", "payment", "total", "tax",
           "reason", "events", "confirm", "reset", "password", "expires", "please",
           "attached", "card", "declined", "accepted", "of", "due", "the", "and", "is",
           "set up", "someone", "open", "paid", "nothing", "account", "email", "failed",
           "for", "with", "administrator asked", "signing", "sign in", "correcting")
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.I)

CASES = [(name, channel) for name, spec in templates.TEMPLATES.items()
         for channel in sorted(spec.channels)]


# Codes a template branches on; they are never shown, so they are not data to ignore.
CODES = {"kind", "reason_code", "outcome"}


def _data(value) -> list[str]:
    """Every string a context shows (it is the data, not the template's words)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in CODES for s in _data(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _data(v)]
    return [str(value)] if value not in (None, True, False) else []


def _words(name, channel, context, locale) -> str:
    out = templates.render(name, channel, context, locale)
    text = "\n".join((out.subject, out.text, re.sub(r"<[^>]+>", " ", out.html or "")))
    for value in sorted(_data(context), key=len, reverse=True):
        text = text.replace(value, " ")
    return re.sub(r"/api/\S+", " ", text)  # API paths are the same in every language


@pytest.mark.parametrize("name, channel", CASES)
def test_each_template_in_german_has_no_english_word_left(app, name, channel):
    context = SAMPLES[name]
    english = _ENGLISH.findall(_words(name, channel, context, "en"))
    assert english, "the word list would not notice this template in English"
    german = _words(name, channel, context, "de")
    assert _ENGLISH.findall(german) == [], german


def test_every_template_has_a_sample_to_check():
    assert set(SAMPLES) == set(templates.TEMPLATES)


def test_real_documents_are_named_in_german(app):
    rates()
    invoice = draft_with_lines(("Widget", 2, 2500, "standard"))
    act(invoices.finalise, invoice.id, actor=FINANCE)
    invoice = invoices.get(invoice.id)
    note = act(invoices.issue_credit_note, invoice.id, actor=FINANCE, amount=1200)
    sent = templates.render("invoice_sent", "email", {"name": "Ada", "doc": document(invoice)},
                            "de")
    assert sent.subject == f"Rechnung {invoice.number}"
    credited = templates.render("credit_note_issued", "email",
                                {"name": "Ada", "doc": document(note)}, "de")
    assert credited.subject == f"Gutschrift {note.number}"
    issued = invoice.issue_date
    assert f"Korrektur der Rechnung {invoice.number} vom {issued:%d.%m.%Y}" in credited.text
    english = templates.render("credit_note_issued", "email",
                               {"name": "Ada", "doc": document(note)}, "en")
    assert english.subject == f"Credit note {note.number}"
    assert f"correcting invoice {invoice.number} of {issued.day} {issued:%B} {issued.year}" \
        in english.text


@pytest.mark.parametrize("code, reason, german", [
    ("card_declined", "Your card was declined.", "die Karte wurde abgelehnt"),
    ("insufficient_funds", "Your card has insufficient funds.",
     "die Karte ist nicht ausreichend gedeckt"),
    (None, None, "die Karte wurde nicht akzeptiert"),
    ("something_new", "Something new happened.", "Something new happened."),
])
def test_why_a_payment_failed_is_worded_in_german_where_the_code_is_known(app, code, reason,
                                                                        german):
    context = {**SAMPLES["payment_failed"], "reason_code": code, "reason": reason}
    out = templates.render("payment_failed", "email", context, "de")
    assert f"ist fehlgeschlagen: {german}" in out.text
