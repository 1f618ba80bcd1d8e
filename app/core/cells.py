"""Text cells for files that people open in a spreadsheet (CSV exports).

A spreadsheet runs a cell starting with "=", "+", "-" or "@" (or a tab or carriage return
before one) as a formula: a buyer named ``=HYPERLINK("http://x","y")`` would become a live
link, or worse, on the finance team's machine. Following OWASP's CSV injection guidance,
such text is prefixed with a single quote, which spreadsheets show as plain text."""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_START) else text
