"""How a date is written for people: one pattern per language, used by the PDFs and by
every message (email, SMS), so the due date in an email reads as on the invoice it
comes with.

English is written day first with the month's name ("3 December 2026"): the seller
invoices from the EU, and a day-first date with the month spelt out cannot be misread on
either side of the Atlantic ("12/03/2026" can; "Dec 3, 2026" is the US order).
German is the numeric date German business letters use (DIN 5008: "03.12.2026").
A language without a pattern here is written as English, as messages are.
"""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

PATTERNS = {"en": "d MMMM y", "de": "dd.MM.y"}
DEFAULT_LANGUAGE = "en"


def written_date(day: date | datetime, locale: str = DEFAULT_LANGUAGE) -> str:
    """``day`` as a reader of ``locale`` writes it. A datetime is written as its own
    calendar day: which day a moment falls on (the seller's) is the caller's to decide
    (app.core.clock.business_date), as it needs the configuration."""
    language = (locale or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    if language not in PATTERNS:
        language = DEFAULT_LANGUAGE
    if isinstance(day, datetime):
        day = day.date()
    return format_date(day, PATTERNS[language], locale=language)
