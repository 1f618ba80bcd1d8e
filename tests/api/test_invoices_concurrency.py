"""Races on one invoice through the multi-process server (gunicorn, 2 workers), on
PostgreSQL: credit notes never credit more than the total, and a line added while the
invoice is finalised lands before its number or is refused, never after."""
import io

import requests
from pypdf import PdfReader
from sqlalchemy import select

from app.core.money import format_amount
from app.extensions import db
from app.invoices.models import Invoice
from tests.factories import bearer
from tests.invoice_support import BUYER, rates
from tests.live import fire_at_once as _fire, web_server



def _writer(factories) -> dict:
    rates()
    _, secret = factories.api_key(scopes=["invoices:write", "invoices:read"])
    return bearer(secret)


def _issued(base, headers, unit_amount=1000, quantity=10) -> dict:
    draft = requests.post(f"{base}/api/v1/invoices", json={"currency": "GBP", "buyer": BUYER},
                          headers=headers).json()
    requests.post(f"{base}/api/v1/invoices/{draft['id']}/lines", headers=headers, json={
        "description": "Consulting", "quantity": quantity, "unit_amount": unit_amount,
        "tax_category": "standard"})
    done = requests.post(f"{base}/api/v1/invoices/{draft['id']}/finalise", headers=headers)
    assert done.status_code == 200, done.text
    return done.json()


def _notes(invoice_id) -> list[Invoice]:
    db.session.expire_all()
    return list(db.session.scalars(select(Invoice).where(Invoice.credit_note_for_id == invoice_id)))


def test_twenty_concurrent_partial_credit_notes_credit_exactly_the_total(pg_app, factories):
    headers = _writer(factories)
    with web_server(pg_app, workers=2) as base:
        invoice = _issued(base, headers)  # 10 x 10.00 + 20 % = 120.00
        tenth = invoice["total_amount"] // 10
        responses = _fire(20, lambda i: requests.post(
            f"{base}/api/v1/invoices/{invoice['id']}/credit-notes", headers=headers,
            json={"amount": tenth, "reason": f"refund {i}"}, timeout=60))
        after = requests.get(f"{base}/api/v1/invoices/{invoice['id']}", headers=headers).json()
    statuses = [r.status_code for r in responses]
    # Ten fit; the others are refused: more than is left (422) or nothing left (409).
    assert statuses.count(201) == 10 and set(statuses) <= {201, 409, 422}, statuses
    assert after["amount_credited"] == invoice["total_amount"] == 12000
    assert after["status"] == "credited" and after["amount_due"] == 0
    notes = _notes(invoice["id"])
    assert len(notes) == 10 and -sum(n.total_amount for n in notes) == 12000
    assert len({n.number for n in notes}) == 10  # gapless numbers, none shared


def test_twenty_concurrent_full_credit_notes_issue_one(pg_app, factories):
    headers = _writer(factories)
    with web_server(pg_app, workers=2) as base:
        invoice = _issued(base, headers, unit_amount=333, quantity=3)
        responses = _fire(20, lambda i: requests.post(
            f"{base}/api/v1/invoices/{invoice['id']}/credit-notes", headers=headers, json={},
            timeout=60))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, statuses
    [note] = _notes(invoice["id"])
    assert note.total_amount == -invoice["total_amount"]


def test_a_line_added_while_finalising_lands_before_the_number_or_is_refused(pg_app, factories):
    headers = _writer(factories)
    with web_server(pg_app, workers=2) as base:
        outcomes = []
        for round_ in range(6):
            draft = requests.post(f"{base}/api/v1/invoices", json={"currency": "GBP",
                                                                   "buyer": BUYER},
                                  headers=headers).json()
            requests.post(f"{base}/api/v1/invoices/{draft['id']}/lines", headers=headers, json={
                "description": "Base", "quantity": 1, "unit_amount": 1000})

            def act(i, invoice_id=draft["id"]):
                if i == 0:
                    return requests.post(f"{base}/api/v1/invoices/{invoice_id}/finalise",
                                         headers=headers, timeout=60)
                return requests.post(f"{base}/api/v1/invoices/{invoice_id}/lines",
                                     headers=headers, timeout=60, json={
                                         "description": f"Late {i}", "quantity": 1,
                                         "unit_amount": 50000})

            finalised, *added = _fire(4, act)
            assert finalised.status_code == 200, finalised.text
            assert {r.status_code for r in added} <= {201, 409}, [r.text for r in added]
            outcomes += [r.status_code for r in added]
            pdf = requests.get(f"{base}/api/v1/invoices/{draft['id']}/pdf", headers=headers)
            db.session.expire_all()
            stored = db.session.get(Invoice, draft["id"])
            # Every stored line is in the issued total, and the total is what the number,
            # the API answer and the PDF say.
            assert stored.total_amount == sum(l.gross_amount for l in stored.lines)
            assert len(stored.lines) == 1 + sum(r.status_code == 201 for r in added)
            assert finalised.json()["total_amount"] == stored.total_amount
            if pdf.status_code == 200:
                text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
                assert format_amount(stored.total_amount, "GBP") in text
    assert 409 in outcomes or 201 in outcomes
