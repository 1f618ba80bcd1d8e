"""Finance exports: CSV/XLSX with totals, and the ZIP of PDFs built by a job."""
import csv
import io
import zipfile

import pytest

from app.core.uow import unit_of_work
from app.invoices import exports, service
from tests.invoice_support import BUYER, FINANCE, draft_with_lines, rates


@pytest.fixture(autouse=True)
def _rates(app):
    rates()


@unit_of_work()
def _issued(*lines, currency="GBP", buyer=None):
    invoice = draft_with_lines(*lines, currency=currency, buyer=buyer)
    return service.finalise(invoice.id, actor=FINANCE)


def test_csv_has_every_invoice_and_totals_per_currency_and_rate(app):
    a = _issued(("A", 1, 1000, "standard"), ("B", 2, 500, "reduced"))        # 10.00+2.00, 10.00+0.50
    b = _issued(("C", 1, 10000, "standard"), currency="EUR",
                buyer={**BUYER, "address": {**BUYER["address"], "country": "DE"}})  # 100.00 + 19.00
    c = _issued(("D", 1, 999, "standard"))
    service.cancel(c.id, actor=FINANCE)
    text = "".join(exports.csv_chunks())
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == exports.HEADER
    numbers = [row[0] for row in table[1:4]]
    assert sorted(numbers) == sorted([a.number, b.number, c.number])
    currency_rows = {row[8]: row[9:12] for row in table if row and row[0] == "" and row[8] in {"GBP", "EUR"}
                     and not row[11].endswith("%")}
    assert currency_rows == {"GBP": ["20.00", "2.50", "22.50"], "EUR": ["100.00", "19.00", "119.00"]}
    rate_rows = {(row[8], row[11]): row[9:11] for row in table if row and row[11].endswith("%")}
    assert rate_rows == {("GBP", "20.00 %"): ["10.00", "2.00"], ("GBP", "5.00 %"): ["10.00", "0.50"],
                         ("EUR", "19.00 %"): ["100.00", "19.00"]}


def test_filters_apply_to_exports(app):
    _issued(("A", 1, 1000, "standard"))
    _issued(("B", 1, 1000, "standard"), currency="EUR",
            buyer={**BUYER, "address": {**BUYER["address"], "country": "DE"}})
    table = list(csv.reader(io.StringIO("".join(exports.csv_chunks({"currency": "EUR"})))))
    assert [row[8] for row in table[1:2]] == ["EUR"] and table[2] == []


def test_xlsx_is_written(app, tmp_path):
    _issued(("A", 1, 1000, "standard"))
    path = tmp_path / "out.xlsx"
    exports.write_xlsx({}, str(path))
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "number" in sheet or "sharedStrings" in str(book.namelist())


def test_zip_of_pdfs_is_built_by_the_job_with_progress(app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_PROGRESS_EVERY", 2)
    sent = []
    monkeypatch.setattr("app.live.emit_to_staff", lambda event, data: sent.append((event, data)))
    issued = [_issued(("Item", 1, 100 * (i + 1), "standard")) for i in range(5)]
    numbers = sorted(f"{i.number}.pdf" for i in issued)
    with unit_of_work():
        export = exports.request_zip([i.id for i in issued], actor=FINANCE)
    # The job ran inline right after the commit (embedded default).
    done = exports.get_export(export.id)
    assert done.status == "done" and done.done == 5
    with exports.open_export(export.id) as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert sorted(names) == numbers
        assert all(archive.read(n).startswith(b"%PDF") for n in names)
    progress = [d for e, d in sent if e == "export.progress"]
    assert progress[-1]["status"] == "done" and progress[-1]["done"] == 5
    assert any(d["status"] == "running" for d in progress)


def test_spooled_zip_is_a_valid_archive(tmp_path):
    from app.invoices.zipstream import SpooledZipFile

    path = tmp_path / "a.zip"
    with SpooledZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for n in range(300):
            with archive.open(f"doc-{n:04d}.pdf", "w") as entry:
                entry.write(b"%PDF-1.4 " + str(n).encode() * 50)
        archive.writestr("last.txt", b"end")
        assert len(archive.filelist) == 301
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert len(names) == 301 and names[0] == "doc-0000.pdf" and names[-1] == "last.txt"
        assert archive.read("doc-0123.pdf") == b"%PDF-1.4 " + b"123" * 50
