"""Reading an XLSX the way a spreadsheet will: the raw cells of the first sheet (type,
value, formula, number format), straight from the zip's XML, with no reader library in
between that could hide a formula or a number stored as text."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
# The built-in number formats XlsxWriter may refer to by id instead of writing them out.
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%",
                   10: "0.00####%"}


@dataclass
class Cell:
    type: str        # "n" for a number (also when the attribute is absent), "inlineStr", "s", ...
    value: str       # the number's <v>, or the text
    formula: bool    # an <f> element: the spreadsheet would compute it
    number_format: str


def read_cells(data: bytes) -> dict[str, Cell]:
    """{"A1": Cell, ...} of the first worksheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
        names = book.namelist()
        shared = ElementTree.fromstring(book.read("xl/sharedStrings.xml")) \
            if "xl/sharedStrings.xml" in names else None
    formats = dict(BUILTIN_FORMATS)
    for fmt in styles.iterfind("m:numFmts/m:numFmt", NS):
        formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
    xfs = [int(xf.get("numFmtId", 0)) for xf in styles.iterfind("m:cellXfs/m:xf", NS)]
    strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
               for si in shared.iterfind("m:si", NS)] if shared is not None else []
    cells = {}
    for c in sheet.iterfind("m:sheetData/m:row/m:c", NS):
        kind = c.get("t", "n")
        v = c.find("m:v", NS)
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
        elif kind == "s":
            value = strings[int(v.text)]
        else:
            value = v.text if v is not None else ""
        cells[c.get("r")] = Cell(kind, value, c.find("m:f", NS) is not None,
                                 formats.get(xfs[int(c.get("s", 0))], "?"))
    return cells


def row_of(cells: dict[str, Cell], column: str, text: str) -> int:
    """The row number whose cell in ``column`` reads ``text``."""
    [row] = [int(re.sub(r"\D", "", ref)) for ref, cell in cells.items()
             if re.sub(r"\d", "", ref) == column and cell.value == text]
    return row


def number(cell: Cell) -> Decimal:
    """A number cell's value as the shortest decimal of its double (what a spreadsheet
    shows). Money cells store their exact decimal text (test_invoice_exports checks it);
    a float written by XlsxWriter would store 0.07 as 0.07000000000000001."""
    assert cell.type == "n" and not cell.formula, cell
    return Decimal(repr(float(cell.value)))
