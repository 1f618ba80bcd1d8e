"""Files of a back-office list: the rows its search and filters select, as CSV or XLSX.

Rows are read from the database in batches (``yield_per``: a server-side cursor on
PostgreSQL) and written as they come: the CSV goes to the client line by line, the XLSX
is written by XlsxWriter in constant_memory mode (each row flushed to disk as soon as the
next one starts) to a temporary file that is then streamed back. Neither holds the list in
memory, whatever its length.

Cells are typed: amounts (``Amount``) are numbers in the XLSX with the currency's places
and exact decimal text in the CSV; timestamps are ISO 8601 in UTC; text is never a
formula (CSV text that a spreadsheet would run is prefixed with a quote, XLSX text is
written as a string)."""
from __future__ import annotations

import csv
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from app.invoices.export_cells import Amount, Percent, XlsxCells, csv_text

BATCH = 500
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plain(value):
    """A cell's value as the writers take it: Amount, Percent, a number, or text."""
    if isinstance(value, (Amount, Percent, bool)):
        return value
    if isinstance(value, (int, Decimal, float)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "striptags"):  # Markup from a list formatter: its text only
        return value.striptags()
    return "" if value is None else str(value)


def batches(query, size: int = BATCH):
    """The query's rows in lists of ``size``, read through one cursor."""
    rows = iter(query.yield_per(size))
    while chunk := list(islice(rows, size)):
        yield chunk


class _Line:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, text):
        return text


def csv_lines(titles: list[str], rows, batch: int = BATCH):
    """The CSV in chunks of ``batch`` lines. ``rows`` yields lists of cell values."""
    writer = csv.writer(_Line())
    lines = [writer.writerow([csv_text(t) for t in titles])]
    for row in rows:
        lines.append(writer.writerow([_csv_cell(v) for v in row]))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def _csv_cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    return csv_text(value)


def write_xlsx(path: str, sheet_name: str, titles: list[str], rows) -> int:
    """Writes the workbook to ``path`` row by row; returns the number of data rows."""
    import xlsxwriter

    # strings_to_formulas off as well: even a write() added later keeps text as text.
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True,
                                          "strings_to_formulas": False,
                                          "strings_to_urls": False})
    try:
        sheet = workbook.add_worksheet(_sheet_name(sheet_name))
        cells = XlsxCells(workbook)
        bold = workbook.add_format({"bold": True})
        for col, title in enumerate(titles):
            sheet.write_string(0, col, str(title), bold)
        n = 0
        for n, row in enumerate(rows, 1):
            for col, value in enumerate(row):
                if isinstance(value, bool):
                    sheet.write_boolean(n, col, value)
                elif isinstance(value, (int, Decimal, float)) and not isinstance(value, bool) \
                        and abs(value) < 10**15:
                    # A Decimal as itself: its text is exact ("0.07"); float() would
                    # write the double's artefact ("0.07000000000000001").
                    sheet.write_number(n, col, value if isinstance(value, Decimal)
                                       else float(value))
                elif isinstance(value, (int, Decimal, float)):
                    sheet.write_string(n, col, str(value))
                else:
                    cells.write(sheet, n, col, value)
        return n
    finally:
        workbook.close()


def _sheet_name(name: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in str(name) if ch not in "[]:*?/\\").strip()
    return (cleaned or "Export")[:31]


def temp_path() -> str:
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    return path
