"""Exports from every back-office list: the rows its search and filters select, as CSV and
XLSX, audited, typed (amounts are numbers in the XLSX), never a formula, and only for a
role that may read the list (with the money columns only for those who see money)."""
from __future__ import annotations

import csv
import re
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from admin.list_exports import csv_lines
from admin.security import SecureModelView
from app.audit.models import AuditEntry
from app.extensions import db
from tests.admin.test_search import _people
from tests.xlsx_support import number, read_cells


def _list_urls(app) -> dict[str, SecureModelView]:
    admin = app.extensions["admin"][0]
    return {view.url + "/": view for view in admin._views if isinstance(view, SecureModelView)}


def _exports() -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "data.export")
                              .order_by(AuditEntry.occurred_at)).all()


def _column(cells, title: str) -> str:
    [ref] = [ref for ref, cell in cells.items() if ref[1:] == "1" and cell.value == title]
    return ref[0]


def test_every_list_offers_csv_and_xlsx_of_what_it_shows(app, login_as, factories):
    _people(app, factories)
    bo, _ = login_as("admin")
    urls = _list_urls(app)
    assert len(urls) >= 15
    offered = 0
    for url, view in sorted(urls.items()):
        html = bo.get(url).get_data(as_text=True)
        if not view.can_export:  # the invoice list: its filter bar has its own files
            assert url == "/admin/invoices/" and 'id="export-xlsx"' in html
            continue
        assert f'{url}export/xlsx/' in html and f'{url}export/csv/' in html, url
        resp = bo.get(f"{url}export/csv/")
        assert resp.status_code == 200 and resp.mimetype == "text/csv", url
        header = next(csv.reader(io.StringIO(resp.get_data(as_text=True))))
        assert header and "Password Hash" not in header and "Totp Secret" not in header, url
        resp = bo.get(f"{url}export/xlsx/")
        assert resp.status_code == 200, url
        assert resp.mimetype.endswith("spreadsheetml.sheet")
        cells = read_cells(resp.data)
        assert [cells[f"{chr(65 + i)}1"].value for i in range(len(header))] == header, url
        offered += 1
    entries = _exports()
    assert len(entries) == 2 * offered
    assert {e.after["format"] for e in entries} == {"csv", "xlsx"}


def test_xlsx_of_orders_is_filtered_typed_and_by_role(app, login_as, factories):
    _alice, _bob, n1, n2, n3, _ = _people(app, factories)
    finance, staff = login_as("finance")
    resp = finance.get("/admin/orders/export/xlsx/?search=alice.martin")
    cells = read_cells(resp.data)
    total, order = _column(cells, "Total"), _column(cells, "Order")
    rows = {cells[f"{order}{r}"].value: cells[f"{total}{r}"] for r in (2, 3)}
    assert set(rows) == {f"#{n1}", f"#{n2}"} and f"{order}4" not in cells
    assert number(rows[f"#{n1}"]) == Decimal("102.80") and rows[f"#{n1}"].number_format == "#,##0.00"
    [entry] = _exports()
    assert entry.actor_id == staff.id and entry.after["dataset"] == "bo_orders"
    assert entry.after == {"dataset": "bo_orders", "format": "xlsx", "rows": 2,
                           "filters": {"search": "alice.martin"}}

    support, _ = login_as("support")
    cells = read_cells(support.get("/admin/orders/export/xlsx/").data)
    titles = {cell.value for ref, cell in cells.items() if ref[1:] == "1"}
    assert "Order" in titles and not {"Total", "Subtotal", "Currency", "Tax"} & titles
    # Asking for the money columns by URL changes nothing: there is no such parameter.
    assert len([r for r in cells if r.startswith("A")]) == 4


def test_xlsx_text_is_never_a_formula(app, login_as, factories):
    _people(app, factories)
    bo, _ = login_as("support")
    cells = read_cells(bo.get("/admin/customers/export/xlsx/").data)
    name = _column(cells, "Full Name")
    names = {cells[ref].value: cells[ref] for ref in cells if ref.startswith(name) and ref != f"{name}1"}
    evil = names['=HYPERLINK("x")']
    assert not evil.formula and evil.type in ("s", "inlineStr", "str")
    assert "Alice Martin" in names


@pytest.mark.parametrize("url", ["/admin/staff/export/xlsx/", "/admin/staff/export/csv/",
                                 "/admin/reconciliation/export/xlsx/",
                                 "/admin/deliveries/export/csv/",
                                 "/admin/api-keys/export/xlsx/"])
def test_a_role_that_may_not_read_the_list_gets_no_file(app, login_as, url):
    bo, _ = login_as("support")
    resp = bo.get(url)
    assert resp.status_code == 403 and b"Password Hash" not in resp.data
    assert not _exports()


def test_an_unknown_format_is_not_found(app, login_as):
    bo, _ = login_as("admin")
    assert bo.get("/admin/customers/export/json/").status_code == 404
    assert not _exports()


def test_csv_is_written_in_chunks_as_rows_come():
    seen = []

    def rows():
        for n in range(5):
            seen.append(n)
            yield [n, f"=row {n}"]

    chunks = csv_lines(["n", "text"], rows(), batch=2)
    first = next(chunks)
    # The first chunk leaves before the generator has produced every row.
    assert first == "n,text\r\n0,'=row 0\r\n" and seen == [0]
    assert "".join(chunks).count("\r\n") == 4


def test_the_invoice_lists_search_box_selects_what_its_exports_hold(app, login_as, factories):
    from tests.invoice_support import rates

    _people(app, factories)  # Alice's open invoice INV-2026-004242
    rates()
    from app.core.uow import unit_of_work
    from app.invoices import service
    from tests.invoice_support import FINANCE, draft_with_lines

    with unit_of_work():
        other = service.finalise(draft_with_lines(("Item", 1, 500, "standard")).id,
                                 actor=FINANCE)
    bo, _ = login_as("finance")
    html = bo.get("/admin/invoices/?search=004242").get_data(as_text=True)
    assert "INV-2026-004242" in html and other.number not in html
    assert 'name="search" value="004242"' in html  # kept when the filter bar is applied
    csv_link = re.search(r'id="export-csv"\s+href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "search=004242" in csv_link
    rows = list(csv.reader(io.StringIO(bo.get(csv_link).get_data(as_text=True))))
    numbers = [r[0] for r in rows[1:] if r and r[0].startswith("INV")]
    assert numbers == ["INV-2026-004242"]
    xlsx_link = re.search(r'id="export-xlsx"\s+href="([^"]+)"', html).group(1).replace("&amp;", "&")
    cells = read_cells(bo.get(xlsx_link).data)
    assert [c.value for ref, c in cells.items()
            if ref[0] == "A" and ref[1:].isdigit() and c.value.startswith("INV")] == ["INV-2026-004242"]
    # By the customer's name too, and a control character matches nothing (no 500).
    assert other.number not in bo.get("/admin/invoices/?search=alice+martin").get_data(as_text=True)
    assert bo.get("/admin/invoices/?search=%00").status_code == 200


def test_a_selection_above_the_cap_is_refused_not_cut(app, login_as, factories, monkeypatch):
    """A file silently cut at the cap would pass for the whole selection."""
    from admin.views.users import CustomersView

    _people(app, factories)
    monkeypatch.setattr(CustomersView, "export_max_rows", 1)
    bo, _ = login_as("admin")
    before = len(_exports())
    resp = bo.get("/admin/customers/export/csv/?search=example.com")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/admin/customers/?search=example.com")
    page = bo.get(resp.headers["Location"]).get_data(as_text=True)
    assert "an export holds at most 1." in page and "Narrow the filters" in page
    assert len(_exports()) == before  # nothing left, nothing audited as exported
    # One row fits.
    resp = bo.get("/admin/customers/export/csv/?search=alice.martin")
    assert resp.status_code == 200 and "alice.martin@example.com" in resp.get_data(as_text=True)
