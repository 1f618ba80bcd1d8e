"""Amounts and dates in a message are written the way its reader writes them.

A handler puts them in the context as values, ``Amount(minor, currency)`` and ``date``,
never as text: only ``render()`` knows the language the message is written in, and it
formats every such value through ``localise()`` before a template sees it. A handler
that formatted an amount itself wrote it the English way into German messages
("119.00 EUR" instead of "119,00 EUR"), and so did each ISO date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.core.clock import business_date
from app.core.dates import written_date
from app.core.money import format_amount


@dataclass(frozen=True)
class Amount:
    """Integer minor units of ``currency``, as stored."""
    minor: int
    currency: str


def localise(value, locale: str):
    """``value`` with every Amount and date in it (dicts and lists walked) as the text a
    reader of ``locale`` expects; anything else unchanged."""
    if isinstance(value, Amount):
        return format_amount(value.minor, value.currency, locale)
    if isinstance(value, datetime):  # a moment is told as the seller's calendar day
        return written_date(business_date(value), locale)
    if isinstance(value, date):  # as the PDF it comes with writes it (app.core.dates)
        return written_date(value, locale)
    if isinstance(value, dict):
        return {key: localise(item, locale) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(localise(item, locale) for item in value)
    return value
