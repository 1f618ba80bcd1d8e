"""Spreadsheet cells: text never becomes a formula (app/core/cells.py), and export cells
keep money exact up to the file (app/invoices/export_cells.py). No database needed."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
import xlsxwriter

from app.core.cells import neutralise
from app.invoices.export_cells import MAX_EXACT_MINOR, Amount, Percent, XlsxCells, csv_text
from tests.xlsx_support import number, read_cells


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1:A2)",
                                  "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"])
def test_formula_starts_get_a_single_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Ada Lovelace", "", "1+1", "a=b", "'quoted", "ÉCOLE"])
def test_plain_text_is_unchanged(text):
    assert neutralise(text) == text


def test_csv_text_quotes_user_text_but_not_amounts_or_rates():
    assert csv_text("-2") == "'-2"
    assert csv_text(None) == ""
    assert csv_text(Amount(-1234, "EUR")) == "-12.34"
    assert csv_text(Amount(-1234, "JPY")) == "-1234"
    assert csv_text(Amount(1234, "KWD")) == "1.234"
    assert csv_text(Percent(Decimal("0.055"))) == "5.50 %"


def test_amount_decimal_is_exact():
    assert Amount(10**15 - 1, "EUR").decimal() == Decimal("9999999999999.99")
    assert Amount(5, "KWD").decimal() == Decimal("0.005")


def _book(*values) -> dict:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    XlsxCells(workbook).write_row(sheet, 0, list(values))
    workbook.close()
    return read_cells(buffer.getvalue())


def test_xlsx_cells_by_type():
    cells = _book(Amount(1999, "EUR"), Amount(-7, "JPY"), Percent(Decimal("0.07")), "=1+1", "",
                  None, Amount(MAX_EXACT_MINOR - 1, "EUR"))
    assert (number(cells["A1"]), cells["A1"].number_format) == (Decimal("19.99"), "#,##0.00")
    assert (number(cells["B1"]), cells["B1"].number_format) == (Decimal("-7"), "#,##0")
    assert (number(cells["C1"]), cells["C1"].number_format) == (Decimal("0.07"), "0.00####%")
    assert cells["D1"].type == "inlineStr" or cells["D1"].type == "s"
    assert cells["D1"].value == "=1+1" and not cells["D1"].formula
    assert "E1" not in cells and "F1" not in cells
    # The largest amount written as a number still reads back to the exact cents.
    assert number(cells["G1"]) == Decimal("9999999999999.99")


def test_xlsx_amount_a_double_cannot_hold_is_exact_text():
    cells = _book(Amount(MAX_EXACT_MINOR + 1, "EUR"))
    assert cells["A1"].type != "n" and cells["A1"].value == "10000000000000.01"
