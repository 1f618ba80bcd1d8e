"""Page geometry, colours, paragraph styles and value formatting for invoice PDFs."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from app.core.dates import written_date
from app.core.money import format_amount
from app.invoices.pdf_fonts import SANS, SANS_BOLD

# The language the PDF is written in (its labels are English): its dates are written as
# an English email writes them.
LANGUAGE = "en"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 22 * mm  # room for the footer
CONTINUATION_HEADER = 12 * mm  # pages 2..n: a one-line running header above the frame
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

ACCENT = HexColor("#1F3A5F")
MUTED = HexColor("#6B7280")
RULE = HexColor("#D1D5DB")
BAND = HexColor("#F3F5F8")
TEXT = HexColor("#111827")
WATERMARK = HexColor("#E5E7EB")

# Lines table: #, description, quantity, unit price, tax rate, net amount (sums to the width).
LINE_COLUMNS = (9 * mm, 79 * mm, 16 * mm, 26 * mm, 14 * mm, 30 * mm)


def _style(name: str, **kw) -> ParagraphStyle:
    base = dict(fontName=SANS, fontSize=9, leading=12, textColor=TEXT, alignment=TA_LEFT)
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES = {
    "body": _style("body"),
    "small": _style("small", fontSize=8, leading=10.5),
    "muted": _style("muted", fontSize=8, leading=10.5, textColor=MUTED),
    "label": _style("label", fontName=SANS_BOLD, fontSize=7, leading=9, textColor=MUTED),
    "seller": _style("seller", fontName=SANS_BOLD, fontSize=13, leading=16, textColor=ACCENT),
    "title": _style("title", fontName=SANS_BOLD, fontSize=22, leading=26, textColor=ACCENT,
                    alignment=TA_RIGHT),
    "party": _style("party", fontName=SANS_BOLD, fontSize=10.5, leading=13.5),
    "meta_label": _style("meta_label", fontSize=8.5, leading=12, textColor=MUTED),
    "meta_value": _style("meta_value", fontName=SANS_BOLD, fontSize=8.5, leading=12,
                         alignment=TA_RIGHT),
    "due_label": _style("due_label", fontName=SANS_BOLD, fontSize=7, leading=9, textColor=MUTED,
                        alignment=TA_RIGHT),
    "due_amount": _style("due_amount", fontName=SANS_BOLD, fontSize=17, leading=21,
                         textColor=ACCENT, alignment=TA_RIGHT),
    "due_date": _style("due_date", fontSize=8.5, leading=11, alignment=TA_RIGHT),
    "th": _style("th", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=white),
    "th_right": _style("th_right", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=white,
                       alignment=TA_RIGHT),
    "cell": _style("cell", fontSize=8.5, leading=10.5),
    "heading": _style("heading", fontName=SANS_BOLD, fontSize=10, leading=13, textColor=ACCENT,
                      spaceBefore=2, spaceAfter=4),
    "notice": _style("notice", fontName=SANS_BOLD, fontSize=8.5, leading=11.5),
}

# Country names for addresses (ISO 3166-1 alpha-2); unknown codes print as the code.
COUNTRIES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CH": "Switzerland", "CN": "China",
    "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "EE": "Estonia",
    "ES": "Spain", "FI": "Finland", "FR": "France", "GB": "United Kingdom", "GR": "Greece",
    "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "JP": "Japan",
    "KR": "South Korea", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta",
    "NL": "Netherlands", "NO": "Norway", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "RU": "Russia", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "UA": "Ukraine",
    "US": "United States",
}


def money(amount: int | None, currency: str) -> str:
    """``1,234.50 EUR`` from integer minor units (Decimal, never float)."""
    return format_amount(int(amount or 0), currency)


def number(amount: int | None, currency: str) -> str:
    """``1,234.50``: the amount without the currency code, for table columns."""
    return money(amount, currency).rsplit(" ", 1)[0]


def percent(rate: Decimal | None) -> str:
    """Decimal("0.19") -> "19%", Decimal("0.055") -> "5.5%"."""
    value = format(Decimal(rate or 0) * 100, "f")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return f"{value}%"


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return written_date(value, LANGUAGE)


def iban(value: str | None) -> str:
    compact = "".join((value or "").split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def address_lines(address: dict | None, *, skip_name: str | None = None) -> list[str]:
    """A postal address as printed lines (recipient name only if it differs)."""
    address = address or {}
    lines = []
    name = (address.get("name") or "").strip()
    if name and name != (skip_name or "").strip():
        lines.append(name)
    for key in ("line1", "line2"):
        if address.get(key):
            lines.append(address[key])
    city = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    if city:
        lines.append(city)
    if address.get("region"):
        lines.append(address["region"])
    if address.get("country"):
        lines.append(COUNTRIES.get(address["country"], address["country"]))
    return lines


def one_line_address(address: dict | None) -> str:
    address = address or {}
    city = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    parts = [address.get("line1"), address.get("line2"), city, address.get("country")]
    return ", ".join(p for p in parts if p)
