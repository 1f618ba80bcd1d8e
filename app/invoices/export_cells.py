"""Typed cells of the finance exports, written to CSV as text and to XLSX as numbers.

Rows carry amounts as ``Amount`` (integer minor units and currency) and rates as
``Percent`` until the file is written, so nothing is rounded or formatted before the last
step; every other cell is text, and text is never read as a formula."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.core.cells import neutralise
from app.core.money import decimal_amount, exponent, to_decimal

# A double holds 15 significant digits exactly; a larger amount is written as exact text
# rather than as a number a spreadsheet would silently round.
MAX_EXACT_MINOR = 10**15


@dataclass(frozen=True)
class Amount:
    minor: int
    currency: str

    def decimal(self) -> Decimal:
        return to_decimal(self.minor, self.currency)


@dataclass(frozen=True)
class Percent:
    rate: Decimal


def csv_text(value) -> str:
    if isinstance(value, Amount):
        return decimal_amount(value.minor, value.currency)
    if isinstance(value, Percent):
        percent = value.rate * 100
        # Two places as finance reads rates, more only when the rate has them (8.875 %).
        exact = percent == percent.quantize(Decimal("0.01"))
        return f"{percent:.2f} %" if exact else f"{percent.normalize():f} %"
    return neutralise("" if value is None else str(value))


def csv_row(row: list) -> list[str]:
    return [csv_text(value) for value in row]


class XlsxCells:
    """Writes rows of typed cells to a worksheet, with one number format per currency
    exponent (JPY 0 places, EUR 2, KWD 3) so amounts show as the currency is written."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.formats: dict = {}

    def _format(self, code: str):
        if code not in self.formats:
            self.formats[code] = self.workbook.add_format({"num_format": code})
        return self.formats[code]

    def write_row(self, sheet, row: int, values: list, text_format=None) -> None:
        for col, value in enumerate(values):
            self.write(sheet, row, col, value, text_format)

    def write(self, sheet, row: int, col: int, value, text_format=None) -> None:
        if isinstance(value, Amount) and abs(value.minor) < MAX_EXACT_MINOR:
            places = exponent(value.currency)
            code = "#,##0" + ("." + "0" * places if places else "")
            # The Decimal itself, never float(): XlsxWriter writes a number's text with
            # "%.16G", which gives the exact "98.26" for a Decimal but the binary artefact
            # "98.26000000000001" for the float nearest to it. Below MAX_EXACT_MINOR the
            # text reads back (Excel, LibreOffice, openpyxl) as the amount, to the unit.
            sheet.write_number(row, col, value.decimal(), self._format(code))
        elif isinstance(value, Amount):
            sheet.write_string(row, col, decimal_amount(value.minor, value.currency))
        elif isinstance(value, Percent):
            sheet.write_number(row, col, value.rate, self._format("0.00####%"))
        elif value is not None and value != "":
            # write_string, never write(): write() turns text starting with "=" into a formula.
            sheet.write_string(row, col, str(value), text_format)
