"""The fonts embedded in invoice PDFs, and text -> ReportLab markup with per-character
font fallback.

DejaVu Sans covers Latin, Greek and Cyrillic; Droid Sans Fallback covers Chinese, Japanese
and Korean. Text is split into runs by which font has the glyph, and the CJK runs are
wrapped in ``<font name=...>``. Fonts are registered once per process, on first use (not at
import), under a lock. See fonts/README.md for origin and licences.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SANS = "NGM-Sans"
SANS_BOLD = "NGM-Sans-Bold"
CJK = "NGM-CJK"

_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallback.ttf"}
_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}


def register() -> None:
    """Register the fonts with ReportLab (idempotent, thread-safe)."""
    if _coverage:
        return
    with _lock:
        if _coverage:
            return
        coverage = {}
        for name, filename in _FILES.items():
            font = TTFont(name, str(FONT_DIR / filename))
            pdfmetrics.registerFont(font)
            coverage[name] = frozenset(font.face.charToGlyph)
        # <b> inside a paragraph maps through the family (no italics; CJK has no bold).
        # addMapping also records face -> (family, bold, italic): the plain entries go
        # last so each face maps back to its own weight.
        for bold, italic, face in ((0, 1, SANS), (1, 1, SANS_BOLD), (0, 0, SANS),
                                   (1, 0, SANS_BOLD)):
            addMapping(SANS, bold, italic, face)
        for bold, italic in ((1, 1), (0, 1), (1, 0), (0, 0)):
            addMapping(CJK, bold, italic, CJK)
        _coverage.update(coverage)


def _font_for(char: str, base: str) -> str:
    code = ord(char)
    if code in _coverage[SANS] or char.isspace() or code not in _coverage[CJK]:
        return base  # characters neither font has stay in the base font (an empty box)
    return CJK


def runs(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """``text`` as [(font name, run)], consecutive characters of one font joined."""
    register()
    out: list[tuple[str, str]] = []
    for char in text:
        font = _font_for(char, base)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


@lru_cache(maxsize=4096)
def markup(text: str | None) -> str:
    """Plain text -> Paragraph markup: escaped, CJK runs in the fallback font, newlines as
    line breaks. Cached: invoices repeat the same descriptions and labels."""
    if not text:
        return ""
    parts = []
    for font, run in runs(str(text)):
        chunk = escape(run).replace("\n", "<br/>")
        parts.append(chunk if font != CJK else f'<font name="{CJK}">{chunk}</font>')
    return "".join(parts)


def string_width(text: str, size: float, base: str = SANS) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text, base))


def draw_string(canvas, x: float, y: float, text: str, size: float, base: str = SANS,
                align: str = "left") -> None:
    """Draw one line on a canvas with the same fallback (for headers and footers)."""
    if align == "right":
        x -= string_width(text, size, base)
    for font, run in runs(text, base):
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)
