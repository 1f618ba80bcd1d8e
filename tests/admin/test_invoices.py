"""Finance back office: invoices (list, filters, detail, PDF, actions) and exports (CSV,
XLSX, ZIP of PDFs with its progress page). Every change goes through
app.invoices.service with the staff member as actor, and is audited."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from app.core.uow import unit_of_work
from app.audit.models import AuditEntry
from app.extensions import db
from app.invoices import service as invoices
from app.invoices.export_models import InvoiceExport
from app.invoices.models import Invoice
from app.tax.treatments import EXEMPT, REVERSE_CHARGE, WORDING
from tests.invoice_support import BUYER, FINANCE, backdate_due, draft_with_lines, rates
from tests.xlsx_support import number, read_cells, row_of

LIST = "/admin/invoices/"
EXPORTS = "/admin/invoice-exports/"


@pytest.fixture
def finance(app, login_as):
    rates()
    return login_as("finance")


@unit_of_work()
def _issued(*lines, **kwargs):
    invoice = draft_with_lines(*(lines or (("Widget", 2, 1000, "standard"),)), **kwargs)
    return invoices.finalise(invoice.id, actor=FINANCE)


def _fresh(invoice_id) -> Invoice:
    db.session.expire_all()
    return db.session.get(Invoice, invoice_id)


def _do(bo, invoice_id, operation, **data):
    return bo.post(f"{LIST}{invoice_id}/do/{operation}/", data,
                   token_from=f"{LIST}details/?id={invoice_id}")


def _html(resp) -> str:
    return resp.get_data(as_text=True)


# ---------------------------------------------------------------- access

FINANCE_PAGES = [LIST, EXPORTS, "/admin/tax-rates/", "/admin/tax-rates/new/",
                 f"{EXPORTS}invoices.csv"]


@pytest.mark.parametrize("url", FINANCE_PAGES)
def test_anonymous_goes_to_login(client, url):
    resp = client.get(url)
    assert resp.status_code == 302 and resp.location.startswith("/admin/login?next=")


@pytest.mark.parametrize("role,status", [("finance", 200), ("admin", 200), ("support", 403)])
def test_role_matrix(app, login_as, role, status):
    rates()
    invoice = _issued()
    bo, _ = login_as(role)
    for url in [*FINANCE_PAGES, f"{LIST}details/?id={invoice.id}", f"{LIST}{invoice.id}/pdf",
                f"{EXPORTS}invoices.xlsx"]:
        assert bo.get(url).status_code == status, (role, url)
    menu = _html(bo.get("/admin/"))
    assert ("/admin/invoices/" in menu) is (status == 200)


def test_support_cannot_change_an_invoice(app, login_as):
    rates()
    draft = draft_with_lines(("Widget", 1, 500, "standard"))
    bo, _ = login_as("support")
    resp = bo.post(f"{LIST}{draft.id}/do/finalise/", token_from="/admin/")
    assert resp.status_code == 403
    assert bo.action(LIST, "finalise", [draft.id]).status_code == 403
    resp = bo.post(f"{EXPORTS}zip", {"rowid": [str(draft.id)]}, token_from="/admin/")
    assert resp.status_code == 403
    assert _fresh(draft.id).status == "draft"


def test_post_without_csrf_token_is_refused(finance):
    bo, _ = finance
    draft = draft_with_lines(("Widget", 1, 500, "standard"))
    resp = bo.client.post(f"{LIST}{draft.id}/do/finalise/")
    assert resp.status_code == 400
    assert _fresh(draft.id).status == "draft"


# ---------------------------------------------------------------- list and filters

def test_list_shows_exact_amounts_and_filters(finance, factories):
    bo, _ = finance
    customer = factories.user(email_addr="grace@example.com")
    grace = {**BUYER, "name": "Grace Hopper", "email": "grace@example.com"}
    paid = _issued(("Compiler", 3, 33_333, "standard"), buyer=grace, customer_id=customer.id)
    invoices.mark_paid(paid.id, actor=FINANCE)
    euro = _issued(("Book", 1, 1999, "reduced"), currency="EUR")
    draft = draft_with_lines(("Draft thing", 1, 100, "standard"))

    html = _html(bo.get(LIST))
    assert "1,199.99 GBP" in html  # 3 x 333.33 + 20 % VAT, from minor units
    assert "20.99 EUR" in html and "Draft " in html

    def numbers(**args):
        query = "&".join(f"{k}={v}" for k, v in args.items())
        page = _html(bo.get(f"{LIST}?{query}"))
        return {n for n in (paid.number, euro.number) if n in page}, page

    assert numbers(status="paid")[0] == {paid.number}
    assert numbers(currency="eur")[0] == {euro.number}
    assert numbers(customer="grace@example.com")[0] == {paid.number}
    assert numbers(customer="hopper")[0] == {paid.number}
    assert numbers(customer=str(customer.id))[0] == {paid.number}
    assert numbers(min_total="1000", currency="GBP")[0] == {paid.number}
    assert numbers(max_total="20.99")[0] == {euro.number}
    assert numbers(series="CN")[0] == set()
    today = date.today().isoformat()
    assert numbers(date_from=today, date_to=today)[0] == {paid.number, euro.number}
    found, page = numbers(status="draft")
    assert found == set() and f"Draft {str(draft.id)[:8]}" in page
    # Pagination and sorting links keep the filters.
    page = _html(bo.get(f"{LIST}?status=paid&page_size=1"))
    assert "status=paid" in page.split('id="invoice-filters"')[1]

    found, page = numbers(date_from="not-a-date")
    assert "Filter ignored" in page and found == {paid.number, euro.number}


def test_overdue_filter(finance):
    bo, _ = finance
    late = _issued()
    invoices.send(late.id, actor=FINANCE)
    on_time = _issued()
    backdate_due(late.id, 3)
    html = _html(bo.get(f"{LIST}?overdue=1"))
    assert late.number in html and on_time.number not in html
    assert "overdue" in html


# ---------------------------------------------------------------- detail and PDF

def test_detail_page_shows_snapshot_lines_breakdown_and_timeline(finance):
    bo, _ = finance
    invoice = _issued(("Widget", 2, 1000, "standard"), ("Tea", 3, 250, "reduced"))
    html = _html(bo.get(f"{LIST}details/?id={invoice.id}"))
    assert invoice.number in html and "Ada Lovelace" in html and "1 Analytical St" in html
    assert invoice.seller["name"] in html and invoice.seller["tax_id"] in html
    assert "Widget" in html and "Tea" in html
    assert "20 %" in html and "5 %" in html
    # net 20.00 + 7.50, tax 4.00 + 0.38 (half-up per line), total 31.88
    assert "27.50 GBP" in html and "4.38 GBP" in html and "31.88 GBP" in html
    assert 'id="pdf-preview"' in html and f"{LIST}{invoice.id}/pdf" in html
    assert "finalise" in html.split('id="invoice-timeline"')[1]
    for op in ("send", "mark-paid", "cancel"):
        assert f'id="do-{op}"' in html
    assert 'id="do-finalise"' not in html
    assert WORDING[EXEMPT] not in html and WORDING[REVERSE_CHARGE] not in html


FR_BUSINESS = {"name": "Client SARL", "is_business": True, "tax_id": "FR12345678901",
               "address": {"name": "Client SARL", "line1": "1 rue de Rivoli",
                           "postal_code": "75001", "city": "Paris", "country": "FR"}}


def _breakdown(html: str) -> list[list[str]]:
    """The tax breakdown table's body rows, as the cells' text."""
    body = html.split('id="tax-breakdown"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]


def test_detail_breakdown_keeps_zero_rated_and_exempt_apart_with_the_wording(finance):
    bo, _ = finance
    invoice = _issued(("Widget", 1, 1000, "standard"), ("Book", 1, 500, "zero"),
                      ("Lesson", 1, 300, "exempt"))
    html = _html(bo.get(f"{LIST}details/?id={invoice.id}"))
    assert _breakdown(html) == [["20 %", "10.00 GBP", "2.00 GBP"],
                                ["Zero-rated", "5.00 GBP", "0.00 GBP"],
                                ["Exempt", "3.00 GBP", "0.00 GBP"]]
    assert WORDING[EXEMPT] in html and WORDING[REVERSE_CHARGE] not in html


def test_reverse_charge_invoice_and_its_credit_note_show_the_wording(finance, factories):
    bo, _ = finance
    factories.vat_check(FR_BUSINESS["tax_id"])  # VIES confirmed the id today
    invoice = _issued(("Consulting", 1, 10_000, "standard"), currency="EUR", buyer=FR_BUSINESS)
    assert invoice.reverse_charge
    html = _html(bo.get(f"{LIST}details/?id={invoice.id}"))
    assert _breakdown(html) == [["Reverse charge", "100.00 EUR", "0.00 EUR"]]
    assert html.count(WORDING[REVERSE_CHARGE]) == 1
    note = invoices.issue_credit_note(invoice.id, actor=FINANCE)
    html = _html(bo.get(f"{LIST}details/?id={note.id}"))
    # As its PDF reads: what the credit note credits, positive.
    assert _breakdown(html) == [["Reverse charge", "100.00 EUR", "0.00 EUR"]]
    assert html.count(WORDING[REVERSE_CHARGE]) == 1


def test_pdf_preview_and_download(finance):
    bo, _ = finance
    invoice = _issued()
    resp = bo.get(f"{LIST}{invoice.id}/pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF")
    assert resp.headers["Content-Disposition"].startswith("inline")
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    resp = bo.get(f"{LIST}{invoice.id}/pdf?download=1")
    assert resp.headers["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'


def test_pdf_of_a_draft_is_refused_gracefully(finance):
    bo, _ = finance
    draft = draft_with_lines(("Widget", 1, 500, "standard"))
    resp = bo.get(f"{LIST}{draft.id}/pdf")
    assert resp.status_code == 302 and f"id={draft.id}" in resp.location
    html = _html(bo.get(resp.location))
    assert "A draft has no PDF" in html and 'id="pdf-preview"' not in html
    assert bo.get(f"{LIST}00000000-0000-0000-0000-000000000000/pdf").status_code == 404


def test_pdf_not_ready_yet(finance):
    bo, _ = finance
    invoice = _issued()
    db.session.execute(update(Invoice).where(Invoice.id == invoice.id)
                       .values(pdf_status="pending"))
    db.session.commit()
    resp = bo.get(f"{LIST}{invoice.id}/pdf")
    assert resp.status_code == 302
    assert "not ready yet" in _html(bo.get(resp.location))


# ---------------------------------------------------------------- actions

def _audit(action: str, invoice_id) -> AuditEntry:
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.target_id == str(invoice_id))).one()


def test_finalise_send_pay_through_the_service(finance):
    bo, staff = finance
    draft = draft_with_lines(("Widget", 1, 500, "standard"))

    resp = _do(bo, draft.id, "finalise")
    assert resp.status_code == 302
    invoice = _fresh(draft.id)
    assert invoice.status == "finalised" and re.match(r"INV-\d{4}-\d{6}$", invoice.number)
    assert _audit("invoice.finalise", draft.id).actor_id == staff.id
    assert f"Invoice {invoice.number} finalised" in _html(bo.get(resp.location))

    _do(bo, draft.id, "send")
    invoice = _fresh(draft.id)
    assert invoice.status == "sent" and invoice.sent_at is not None
    assert _audit("invoice.sent", draft.id).actor_id == staff.id

    resp = _do(bo, draft.id, "mark-paid")
    invoice = _fresh(draft.id)
    assert invoice.status == "paid" and invoice.paid_at is not None
    assert _audit("invoice.paid", draft.id).actor_label == staff.email
    html = _html(bo.get(resp.location))
    assert "marked paid (bank transfer received)" in html
    assert 'id="do-cancel"' not in html and 'id="do-credit-note"' in html


def test_cancel_a_draft(finance):
    bo, staff = finance
    draft = draft_with_lines(("Widget", 1, 500, "standard"))
    _do(bo, draft.id, "cancel")
    assert _fresh(draft.id).status == "cancelled"
    assert _audit("invoice.cancelled", draft.id).actor_id == staff.id


def test_credit_note(finance):
    bo, staff = finance
    invoice = _issued()
    resp = _do(bo, invoice.id, "credit-note", reason="Damaged in transit")
    note = db.session.scalars(select(Invoice).where(Invoice.credit_note_for_id == invoice.id)).one()
    assert note.kind == "credit_note" and note.number.startswith("CN-")
    assert note.total_amount == -invoice.total_amount and note.notes == "Damaged in transit"
    assert f"id={note.id}" in resp.location
    html = _html(bo.get(resp.location))
    assert f"Credit note {note.number} issued" in html and invoice.number in html
    assert _audit("invoice.finalise", note.id).actor_id == staff.id
    # A second one is refused by the service, and nothing is created.
    resp = _do(bo, invoice.id, "credit-note")
    assert "Nothing is left to credit" in _html(bo.get(resp.location))
    assert len(db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == invoice.id)).all()) == 1


@pytest.mark.parametrize("setup,operation,message", [
    ("paid", "cancel", "A paid invoice cannot become cancelled. Issue a credit note instead."),
    ("cancelled", "mark-paid", "A cancelled invoice cannot become paid."),
    ("draft", "mark-paid", "A draft invoice cannot become paid."),
    ("finalised", "finalise", "A finalised invoice cannot become finalised."),
])
def test_illegal_transition_is_a_flash_and_changes_nothing(finance, setup, operation, message):
    bo, _ = finance
    invoice = draft_with_lines(("Widget", 1, 500, "standard"))
    with unit_of_work():
        if setup != "draft":
            invoices.finalise(invoice.id, actor=FINANCE)
        if setup == "paid":
            invoices.mark_paid(invoice.id, actor=FINANCE)
        if setup == "cancelled":
            invoices.cancel(invoice.id, actor=FINANCE)
    before = _fresh(invoice.id)
    state = (before.status, before.number, before.updated_at)
    entries = db.session.scalar(select(AuditEntry.id).where(AuditEntry.target_id == str(invoice.id))
                                .order_by(AuditEntry.occurred_at.desc()).limit(1))

    resp = _do(bo, invoice.id, operation)
    assert resp.status_code == 302
    html = _html(bo.get(resp.location))
    assert message in html and "alert-danger" in html
    after = _fresh(invoice.id)
    assert (after.status, after.number, after.updated_at) == state
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.target_id == str(invoice.id))
                             .order_by(AuditEntry.occurred_at.desc()).limit(1)) == entries


def test_unknown_operation_or_invoice(finance):
    bo, _ = finance
    invoice = _issued()
    assert _do(bo, invoice.id, "delete").status_code == 404
    resp = bo.post(f"{LIST}00000000-0000-0000-0000-000000000000/do/send/", token_from=LIST)
    assert resp.status_code == 302
    assert bo.get(f"{LIST}details/?id=nope").status_code == 302


def test_bulk_actions_from_the_list(finance):
    bo, _ = finance
    a = draft_with_lines(("Widget", 1, 500, "standard"))
    b = draft_with_lines(("Widget", 1, 700, "standard"))
    resp = bo.action(LIST, "finalise", [a.id, b.id])
    assert resp.status_code == 302
    assert {_fresh(a.id).status, _fresh(b.id).status} == {"finalised"}
    bo.action(LIST, "mark_paid", [a.id])
    assert _fresh(a.id).status == "paid"


# ---------------------------------------------------------------- exports

def _csv(resp) -> list[list[str]]:
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


def test_csv_export_follows_the_filters_with_totals(finance):
    bo, _ = finance
    gbp = _issued(("Widget", 2, 1000, "standard"), ("Tea", 3, 250, "reduced"))
    eur = _issued(("Book", 1, 1999, "reduced"), currency="EUR")
    void = _issued(("Gone", 1, 10_000, "standard"))
    invoices.cancel(void.id, actor=FINANCE)

    resp = bo.get(f"{EXPORTS}invoices.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="invoices-')
    rows = _csv(resp)
    assert rows[0][:4] == ["number", "kind", "status", "issue_date"]
    assert rows[0][9:12] == ["subtotal", "tax", "total"]
    body = {r[0]: r for r in rows[1:] if r and r[0].startswith("INV-")}
    assert set(body) == {gbp.number, eur.number, void.number}
    assert body[gbp.number][8:12] == ["GBP", "27.50", "4.38", "31.88"]
    assert body[eur.number][8:12] == ["EUR", "19.99", "1.00", "20.99"]
    totals = [r for r in rows if r and r[0] == "" and len(r) > 11]
    # per currency (the cancelled one excluded) and per tax rate
    assert ["GBP", "27.50", "4.38", "31.88"] in [r[8:12] for r in totals]
    assert ["EUR", "19.99", "1.00", "20.99"] in [r[8:12] for r in totals]
    assert ["GBP", "20.00", "4.00", "20.00 %"] in [r[8:12] for r in totals]
    assert ["GBP", "7.50", "0.38", "5.00 %"] in [r[8:12] for r in totals]

    rows = _csv(bo.get(f"{EXPORTS}invoices.csv?currency=EUR"))
    assert [r[0] for r in rows[1:] if r and r[0].startswith("INV-")] == [eur.number]

    # The list page links its exports with its own filters.
    html = _html(bo.get(f"{LIST}?currency=EUR&status=finalised"))
    assert re.search(r'invoices\.csv\?[^"]*currency=EUR', html)
    assert re.search(r'invoices\.xlsx\?[^"]*status=finalised', html)


def test_xlsx_export_is_a_workbook(finance):
    bo, _ = finance
    invoice = _issued()
    resp = bo.get(f"{EXPORTS}invoices.xlsx?series=INV")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    data = io.BytesIO(resp.data)
    assert zipfile.is_zipfile(data)
    with zipfile.ZipFile(data) as book:
        assert "xl/workbook.xml" in book.namelist()
        shared = book.read("xl/worksheets/sheet1.xml").decode()
        assert invoice.number in shared and "totals per currency" in shared
    cells = read_cells(resp.data)
    row = row_of(cells, "A", invoice.number)
    # 2 x 10.00 at 20 %: numbers a SUM can add, shown with two decimals.
    assert [number(cells[f"{col}{row}"]) for col in "JKL"] == [20, 4, 24]
    assert cells[f"L{row}"].number_format == "#,##0.00"


def test_exports_never_turn_a_buyer_name_into_a_formula(finance):
    bo, _ = finance
    name = '=HYPERLINK("http://x","y")'
    invoice = _issued(buyer={**BUYER, "name": name})
    row = next(r for r in _csv(bo.get(f"{EXPORTS}invoices.csv")) if r and r[0] == invoice.number)
    assert row[5] == "'" + name
    cells = read_cells(bo.get(f"{EXPORTS}invoices.xlsx").data)
    buyer = cells[f"F{row_of(cells, 'A', invoice.number)}"]
    assert buyer.value == name and not buyer.formula and buyer.type != "n"


def test_zip_of_selected_pdfs_end_to_end(finance):
    bo, staff = finance
    one, two = _issued(), _issued(("Tea", 1, 250, "reduced"))
    draft = draft_with_lines(("Draft thing", 1, 100, "standard"))

    resp = bo.action(LIST, "download_pdfs", [one.id, two.id, draft.id])
    assert resp.status_code == 302 and resp.location.startswith(EXPORTS)
    export = db.session.scalars(select(InvoiceExport)).one()
    assert export.status == "done" and export.done == export.total == 2  # jobs run inline
    assert export.requested_by == f"staff:{staff.id}"
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "invoice.export_zip")).one().actor_id == staff.id

    html = _html(bo.get(resp.location))
    assert "1 draft(s) skipped" in html
    assert 'style="width: 100%"' in html and 'data-status="done"' in html
    assert f"{EXPORTS}{export.id}/download" in html and "vendor/socket.io.min.js" in html

    state = bo.get(f"{EXPORTS}{export.id}/status").get_json()
    assert state == {"export_id": str(export.id), "done": 2, "total": 2, "status": "done",
                     "download": export.file_key}

    resp = bo.get(f"{EXPORTS}{export.id}/download")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{one.number}.pdf", f"{two.number}.pdf"])
        assert archive.read(f"{one.number}.pdf").startswith(b"%PDF")

    assert str(export.id)[:8] in _html(bo.get(EXPORTS))


def test_zip_of_all_matching_the_filters(finance):
    bo, _ = finance
    gbp = [_issued() for _ in range(3)]
    _issued(("Book", 1, 1999, "reduced"), currency="EUR")
    resp = bo.post(f"{EXPORTS}zip?currency=GBP", token_from=LIST)
    assert resp.status_code == 302
    export = db.session.scalars(select(InvoiceExport)).one()
    from app.invoices.export_models import InvoiceExportItem

    items = db.session.scalars(select(InvoiceExportItem.invoice_id)
                               .where(InvoiceExportItem.export_id == export.id)).all()
    assert sorted(items) == sorted(i.id for i in gbp)
    resp = bo.get(f"{EXPORTS}{export.id}/download")
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{i.number}.pdf" for i in gbp)

    resp = bo.post(f"{EXPORTS}zip?currency=JPY", token_from=LIST)
    assert "No issued invoice matches" in _html(bo.get(resp.location))


def test_progress_page_of_a_running_export(finance, monkeypatch):
    bo, _ = finance
    invoice = _issued()
    # The job has not run yet (a worker would pick it up): the page shows the DB state.
    monkeypatch.setattr("app.invoices.exports.build_zip_job", lambda evt: None)
    resp = bo.action(LIST, "download_pdfs", [invoice.id])
    export = db.session.scalars(select(InvoiceExport)).one()
    assert export.status == "pending"
    html = _html(bo.get(resp.location))
    assert 'data-status="pending"' in html and 'style="width: 0%"' in html
    assert 'id="export-download"' in html and "d-none" in html.split('id="export-download"')[0][-200:]
    resp = bo.get(f"{EXPORTS}{export.id}/download")
    assert resp.status_code == 302
    assert "not ready yet" in _html(bo.get(resp.location))
    assert bo.get(f"{EXPORTS}not-an-id/status").status_code == 404
