"""Finance exports: CSV/XLSX with totals, and the ZIP of PDFs built by a job."""
import csv
import io
import zipfile
from decimal import Decimal

import pytest

from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.invoices import exports, service
from tests.invoice_support import BUYER, FINANCE, draft_with_lines, rates
from tests.xlsx_support import number, read_cells, row_of

FR_BUSINESS = {"name": "Client SARL", "is_business": True, "tax_id": "FR12345678901",
               "address": {"name": "Client SARL", "line1": "1 rue de Rivoli",
                           "postal_code": "75001", "city": "Paris", "country": "FR"}}
# Text a spreadsheet would run as a formula if it were written as it is.
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1:A2)"]


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
    assert {row[12] for row in table if row and row[11].endswith("%")} == {"VAT"}


def _rate_rows(table: list[list[str]]) -> list[list[str]]:
    start = next(i for i, row in enumerate(table) if row and row[0] == "totals per tax rate")
    return [row[8:13] for row in table[start + 1:]]


def test_per_rate_totals_keep_zero_rated_exempt_and_reverse_charge_apart(app, factories):
    factories.vat_check(FR_BUSINESS["tax_id"])  # VIES confirmed the id: reverse charge
    _issued(("Widget", 1, 1000, "standard"), ("Book", 1, 500, "zero"), ("Lesson", 1, 300, "exempt"))
    _issued(("Map", 2, 250, "zero"))
    _issued(("Consulting", 1, 10_000, "standard"), currency="EUR", buyer=FR_BUSINESS)
    table = list(csv.reader(io.StringIO("".join(exports.csv_chunks()))))
    # Three 0 % rows in GBP would have been one "0.00 %" row summing 13.00 before.
    assert _rate_rows(table) == [
        ["EUR", "100.00", "0.00", "0.00 %", "Reverse charge"],
        ["GBP", "10.00", "2.00", "20.00 %", "VAT"],
        ["GBP", "10.00", "0.00", "0.00 %", "Zero-rated"],
        ["GBP", "3.00", "0.00", "0.00 %", "Exempt"],
    ]


def test_csv_text_that_looks_like_a_formula_is_neutralised(app):
    names = {}
    for text in FORMULAS:
        invoice = _issued(("Widget", 1, 1000, "standard"),
                          buyer={**BUYER, "name": text, "email": f"{text}@example.com"})
        names[invoice.number] = text
    note = service.issue_credit_note(invoice.id, actor=FINANCE)
    table = list(csv.reader(io.StringIO("".join(exports.csv_chunks()))))
    rows = {row[0]: row for row in table[1:] if row and row[0]}
    for invoice_number, text in names.items():
        buyer, email = rows[invoice_number][5:7]
        assert buyer == f"'{text}" and email == f"'{text}@example.com"
    # Amounts are numbers, not user text: a credit note's negative total stays a number.
    assert rows[note.number][9:12] == ["-10.00", "-2.00", "-12.00"]


def _xlsx(tmp_path, filters=None) -> dict:
    path = tmp_path / "out.xlsx"
    exports.write_xlsx(filters or {}, str(path))
    return read_cells(path.read_bytes())


def test_xlsx_amounts_are_numbers_with_the_currency_places(app, tmp_path):
    yen = _issued(("Tea", 1, 1000, "standard"), currency="JPY")          # 1000 + 200 JPY
    euro = _issued(("Book", 1, 1999, "standard"), currency="EUR")        # 19.99 + 4.00 EUR
    dinar = _issued(("Oil", 1, 12_345, "standard"), currency="KWD")      # 12.345 + 2.469 KWD
    note = service.issue_credit_note(euro.id, actor=FINANCE)
    cells = _xlsx(tmp_path)
    expected = {yen.number: ("#,##0", ["1000", "200", "1200"]),
                euro.number: ("#,##0.00", ["19.99", "4", "23.99"]),
                note.number: ("#,##0.00", ["-19.99", "-4", "-23.99"]),
                dinar.number: ("#,##0.000", ["12.345", "2.469", "14.814"])}
    for invoice_number, (code, amounts) in expected.items():
        row = row_of(cells, "A", invoice_number)
        for column, amount in zip("JKL", amounts):
            cell = cells[f"{column}{row}"]
            assert number(cell) == Decimal(amount), (invoice_number, column)
            assert cell.number_format == code, (invoice_number, column)
    # The totals are numbers too (so a SUM over the column agrees with them): per currency
    # first, then per rate; only invoice rows have a number in column A.
    totals = sorted(int(ref[1:]) for ref, c in cells.items()
                    if ref[0] == "I" and c.value == "KWD" and f"A{ref[1:]}" not in cells)
    assert len(totals) == 2
    per_currency, per_rate = (f"{row}" for row in totals)
    assert number(cells["L" + per_currency]) == Decimal("14.814")
    assert cells["M" + per_rate].value == "VAT"
    assert number(cells["J" + per_rate]) == Decimal("12.345")
    assert number(cells["L" + per_rate]) == Decimal("0.2")
    assert cells["L" + per_rate].number_format == "0.00####%"


def test_every_xlsx_money_cell_is_the_csv_amount_exactly(app, tmp_path):
    """The XLSX and the CSV of the same invoices, read back: every money cell is a number
    whose stored text is the CSV's exact decimal (never a double's "98.26000000000001"),
    shown with the currency's places (JPY none, KWD three), the same in openpyxl."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    from app.core.money import exponent

    # 81.88 + 16.38 = 98.26 and 0.07 GBP: as doubles, written "98.26000000000001" and
    # "0.07000000000000001".
    kettle = _issued(("Kettle", 1, 8188, "standard"))
    _issued(("Pin", 7, 1, "reduced"))
    _issued(("Book", 1, 1999, "standard"), currency="EUR",
            buyer={**BUYER, "address": {**BUYER["address"], "country": "DE"}})
    _issued(("Tea", 3, 333, "standard"), currency="JPY")                # 999 + 200 JPY
    _issued(("Oil", 1, 12_345, "standard"), currency="KWD")             # 12.345 + 2.469 KWD
    service.issue_credit_note(kettle.id, actor=FINANCE, amount=1234)     # -12.34 GBP
    table = list(csv.reader(io.StringIO("".join(exports.csv_chunks()))))
    path = tmp_path / "out.xlsx"
    exports.write_xlsx({}, str(path))
    sheet = openpyxl.load_workbook(path).active
    stored = read_cells(path.read_bytes())

    money, rates = set(), set()
    for number, row in enumerate(table, start=1):  # CSV line n is the sheet's row n
        if len(row) < 12 or row[8] not in {"GBP", "EUR", "JPY", "KWD"}:
            continue
        places = exponent(row[8])
        for column in (9, 10, 11):
            ref = f"{get_column_letter(column + 1)}{number}"
            if row[column].endswith(" %"):
                rates.add(ref)
                continue
            cell = sheet[ref]
            assert cell.data_type == "n" and not isinstance(cell.value, str), (ref, cell.value)
            assert stored[ref].value == row[column], (ref, stored[ref].value, row[column])
            assert Decimal(repr(cell.value)) == Decimal(row[column]), (ref, cell.value)
            assert cell.number_format == "#,##0" + ("." + "0" * places if places else ""), ref
            money.add(ref)
    # Every invoice's three amounts and the totals (4 currencies, 5 rates) were compared.
    assert len(money) == 6 * 3 + 4 * 3 + 5 * 2, sorted(money)
    assert {"98.26", "0.07", "1199", "14.814", "-12.34"} <= {stored[ref].value for ref in money}
    # Nothing else in the sheet is a number: no amount slipped through as anything else.
    numbers = {c.coordinate for line in sheet.iter_rows() for c in line
               if c.data_type == "n" and c.value is not None}
    assert numbers == money | rates


def test_xlsx_text_is_never_a_formula(app, tmp_path):
    numbers = {}
    for text in FORMULAS:
        invoice = _issued(("Widget", 1, 1000, "standard"), buyer={**BUYER, "name": text})
        numbers[invoice.number] = text
    cells = _xlsx(tmp_path)
    assert not any(cell.formula for cell in cells.values())
    for invoice_number, text in numbers.items():
        buyer = cells[f"F{row_of(cells, 'A', invoice_number)}"]
        assert buyer.type in {"inlineStr", "s"} and buyer.value == text


def test_filters_apply_to_exports(app):
    _issued(("A", 1, 1000, "standard"))
    _issued(("B", 1, 1000, "standard"), currency="EUR",
            buyer={**BUYER, "address": {**BUYER["address"], "country": "DE"}})
    table = list(csv.reader(io.StringIO("".join(exports.csv_chunks({"currency": "EUR"})))))
    assert [row[8] for row in table[1:2]] == ["EUR"] and table[2] == []


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
    with exports.open_export(export.id, actor=Actor.system("tests")) as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
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
