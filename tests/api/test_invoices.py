"""Invoices through the API: partners write (invoices:write), customers read their own."""
import uuid

import pytest
from sqlalchemy import func, select

from api.invoices.schemas import InvoiceSchema
from api.invoices.serialize import invoice_dict
from app.extensions import db
from app.invoices.models import Invoice
from tests.factories import bearer, login
from tests.invoice_support import BUYER, rates


@pytest.fixture
def writer(app, factories):
    rates()
    _, secret = factories.api_key(scopes=["invoices:write", "invoices:read"])
    return bearer(secret)


def _draft(client, writer, **extra):
    resp = client.post("/api/v1/invoices", json={"currency": "GBP", "buyer": BUYER, **extra},
                       headers=writer)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_draft_lines_finalise_flow(client, writer):
    inv = _draft(client, writer)
    assert inv["status"] == "draft" and inv["number"] is None
    resp = client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                       json={"description": "Consulting", "quantity": 3, "unit_amount": 333,
                             "tax_category": "standard"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["lines"][0]["tax_rate"] == "0.200000"
    assert (body["subtotal_amount"], body["tax_amount"], body["total_amount"]) == (999, 200, 1199)
    etag = resp.headers["ETag"]

    stale = client.post(f"/api/v1/invoices/{inv['id']}/finalise",
                        headers={**writer, "If-Match": '"not-the-etag"'})
    assert stale.status_code == 412
    done = client.post(f"/api/v1/invoices/{inv['id']}/finalise", headers={**writer, "If-Match": etag})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["number"].startswith("INV-")
    late = client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                       json={"description": "late", "quantity": 1, "unit_amount": 1})
    assert late.status_code == 409


@pytest.mark.parametrize("body, status", [
    ({"description": "x", "quantity": -1, "unit_amount": 1}, 422),
    ({"description": "x", "quantity": 1, "unit_amount": 1, "tax_category": "luxury"}, 422),
    ({"description": "x", "quantity": 1.5, "unit_amount": 1}, 422),
    ({"description": "x", "quantity": 1, "unit_amount": 1, "price": 5}, 422),
])
def test_bad_lines_are_refused_and_change_nothing(client, writer, body, status):
    inv = _draft(client, writer)
    resp = client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer, json=body)
    assert resp.status_code == status
    assert client.get(f"/api/v1/invoices/{inv['id']}", headers=writer).get_json()["lines"] == []


def test_empty_invoice_cannot_be_finalised_and_cancelled_cannot_be_paid(client, writer):
    inv = _draft(client, writer)
    assert client.post(f"/api/v1/invoices/{inv['id']}/finalise", headers=writer).status_code == 409
    assert client.post(f"/api/v1/invoices/{inv['id']}/cancel", headers=writer).status_code == 200
    assert client.post(f"/api/v1/invoices/{inv['id']}/mark-paid", headers=writer).status_code == 409


def test_currency_mixing_is_refused(client, writer):
    from tests.orders_support import product

    usd = product(currency="USD")
    inv = _draft(client, writer)
    resp = client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                       json={"product_id": str(usd.id), "quantity": 1})
    assert resp.status_code == 422


def test_customers_read_only_their_own_and_others_are_404(client, writer, factories):
    owner, stranger = factories.user(), factories.user()
    inv = _draft(client, writer, customer_id=str(owner.id))
    client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                json={"description": "A", "quantity": 1, "unit_amount": 1000})
    mine = bearer(login(client, owner.email)["access_token"])
    theirs = bearer(login(client, stranger.email)["access_token"])
    assert client.get(f"/api/v1/invoices/{inv['id']}", headers=mine).status_code == 404  # a draft
    client.post(f"/api/v1/invoices/{inv['id']}/finalise", headers=writer)
    assert client.get(f"/api/v1/invoices/{inv['id']}", headers=mine).status_code == 200
    assert client.get(f"/api/v1/invoices/{inv['id']}", headers=theirs).status_code == 404
    assert client.get(f"/api/v1/invoices/{inv['id']}/pdf", headers=theirs).status_code == 404
    assert [i["id"] for i in client.get("/api/v1/invoices", headers=mine).get_json()["data"]] == [inv["id"]]
    assert client.get("/api/v1/invoices", headers=theirs).get_json()["data"] == []
    assert client.post("/api/v1/invoices", json={"currency": "GBP", "buyer": BUYER},
                       headers=mine).status_code == 403


def test_credit_note_via_api(client, writer):
    inv = _draft(client, writer)
    client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                json={"description": "A", "quantity": 2, "unit_amount": 1000})
    client.post(f"/api/v1/invoices/{inv['id']}/finalise", headers=writer)
    note = client.post(f"/api/v1/invoices/{inv['id']}/credit-notes", json={"reason": "Returned"},
                       headers=writer)
    assert note.status_code == 201
    body = note.get_json()
    assert body["kind"] == "credit_note" and body["number"].startswith("CN-")
    assert body["total_amount"] == -2400
    listed = client.get("/api/v1/invoices?series=CN", headers=writer).get_json()["data"]
    assert [i["id"] for i in listed] == [body["id"]]


def test_unknown_invoice_is_404(client, writer):
    assert client.get(f"/api/v1/invoices/{uuid.uuid4()}", headers=writer).status_code == 404
    assert client.post(f"/api/v1/invoices/{uuid.uuid4()}/finalise", headers=writer).status_code == 404


def test_serializer_matches_schema(client, writer):
    inv = _draft(client, writer)
    client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                json={"description": "A", "quantity": 2, "unit_amount": 1000, "tax_category": "reduced"})
    invoice = db.session.get(Invoice, uuid.UUID(inv["id"]))
    assert invoice_dict(invoice) == InvoiceSchema().dump(invoice)
    assert db.session.scalar(select(func.count()).select_from(Invoice)) == 1


def _issued(client, writer, **extra):
    inv = _draft(client, writer, **extra)
    client.post(f"/api/v1/invoices/{inv['id']}/lines", headers=writer,
                json={"description": "Consulting", "quantity": 2, "unit_amount": 1500})
    return client.post(f"/api/v1/invoices/{inv['id']}/finalise", headers=writer).get_json()


def test_pdf_is_rendered_after_finalise_and_streamed(client, writer):
    from io import BytesIO

    from pypdf import PdfReader

    inv = _issued(client, writer)
    body = client.get(f"/api/v1/invoices/{inv['id']}", headers=writer).get_json()
    assert body["pdf_status"] == "ready"  # the job ran inline after the commit
    resp = client.get(f"/api/v1/invoices/{inv['id']}/pdf", headers=writer)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(resp.data)).pages)
    assert inv["number"] in text and "Ada Lovelace" in text and "Consulting" in text
    # Revalidated: 304 with no body; once the invoice moves (paid), the PDF is new.
    url = f"/api/v1/invoices/{inv['id']}/pdf"
    again = client.get(url, headers={**writer, "If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Cache-Control"] == "private, no-store"
    paid = client.post(f"/api/v1/invoices/{inv['id']}/mark-paid", headers=writer,
                       json={"reference": "T-1"})
    assert paid.status_code == 200, paid.get_json()
    after = client.get(url, headers={**writer, "If-None-Match": resp.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != resp.headers["ETag"]


def test_ready_flag_is_written_and_leaves_the_connection_as_it_was(client, writer):
    """On PostgreSQL the flag is committed without waiting for the WAL flush; the
    setting must end with that statement, not leak into the pooled connection."""
    from sqlalchemy import text

    from app.core.readonly import read_engine
    from app.invoices import documents

    inv = _issued(client, writer)
    db.session.execute(Invoice.__table__.update().values(pdf_status="pending", pdf_path=None))
    db.session.commit()
    before = db.session.get(Invoice, uuid.UUID(inv["id"])).updated_at
    documents.mark_ready(uuid.UUID(inv["id"]), "INV/x.pdf")
    with read_engine().connect() as conn:  # the pooled connection the write went through
        if conn.dialect.name == "postgresql":
            assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"
    db.session.expire_all()
    invoice = db.session.get(Invoice, uuid.UUID(inv["id"]))
    assert (invoice.pdf_status, invoice.pdf_path) == ("ready", "INV/x.pdf")
    assert invoice.updated_at > before


def test_pdf_still_pending_is_409_with_retry_after(client, writer):
    inv = _issued(client, writer)
    db.session.execute(Invoice.__table__.update().values(pdf_status="pending"))
    db.session.commit()
    resp = client.get(f"/api/v1/invoices/{inv['id']}/pdf", headers=writer)
    assert resp.status_code == 409 and resp.headers["Retry-After"] == "5"


def test_send_emails_the_pdf_to_the_buyer(client, writer, smtp):
    inv = _issued(client, writer)
    resp = client.post(f"/api/v1/invoices/{inv['id']}/send", headers=writer)
    assert resp.status_code == 200 and resp.get_json()["status"] == "sent"
    [mail] = smtp.wait_for(1)
    assert mail["To"] == BUYER["email"] and inv["number"] in mail["Subject"]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{inv['number']}.pdf"
    assert attachment.get_content().startswith(b"%PDF")
