"""Money, in one place: which currencies exist, how many decimals each has, how an
amount typed by a person becomes minor units and how minor units are shown.

Amounts are integers in minor units with an ISO 4217 code (as Stripe keeps them). The
currency list and exponents come from CLDR through Babel (JPY 0, EUR 2, KWD/JOD/OMR/TND 3,
CLP/ISK/VND/XOF 0...), never from a table kept by hand here. API, admin, PDF, exports and
emails all format and parse through this module.
"""
from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.core import get_global
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies

from app.core.errors import InvalidInput

DEFAULT_LOCALE = "en"
# The code after the amount, as finance staff read it in lists and exports: 1,234.56 EUR.
_PATTERN = "#,##0.00 \u00a4\u00a4"


@functools.lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """Codes that are legal tender somewhere today (CLDR's territory data)."""
    today = date.today()
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today))
    return frozenset(codes)


def is_currency(code) -> bool:
    return isinstance(code, str) and code in currencies()


def check_currency(code, field: str = "currency") -> str:
    """The upper-cased code, or a 422 naming ``field``."""
    upper = code.strip().upper() if isinstance(code, str) else ""
    if not is_currency(upper):
        raise InvalidInput("Unknown currency.",
                           errors={field: ["An ISO 4217 currency code in use, e.g. EUR."]})
    return upper


@functools.lru_cache(maxsize=512)
def exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit; 2 for a code CLDR does not know."""
    return get_currency_precision(currency) if currency else 2


def to_decimal(amount: int, currency: str) -> Decimal:
    """Minor units as an exact decimal of major units: 123456 EUR -> Decimal('1234.56')."""
    return Decimal(amount).scaleb(-exponent(currency))


def decimal_amount(amount: int, currency: str) -> str:
    """Minor units as a plain decimal string: 123456 EUR -> '1234.56', 5 JPY -> '5'."""
    places = exponent(currency)
    return f"{to_decimal(amount, currency):.{places}f}"


def format_amount(amount: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """For people: grouping and decimals of the locale and currency, code after the
    amount (``1,234.56 EUR``, ``-1.234,567 KWD`` in de)."""
    return format_currency(to_decimal(amount, currency), currency, _PATTERN, locale=locale)


class NotAnAmount(ValueError):
    pass


# A plain decimal as a person types it: optional minus, ASCII digits, optional point.
# Decimal() alone would also take '1_000', non-ASCII digits, 'NaN', 'Infinity', '1e3'.
_PLAIN = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# Bounds keep every parsed amount inside a 64-bit minor-unit column (15 + 3 decimals
# = 18 digits) and exact under Decimal's 28-digit context (15 + 12 < 28), so a typed
# bound never overflows a query parameter (a 500) nor rounds.
MAX_WHOLE_DIGITS, MAX_FRACTION_DIGITS = 15, 12


def parse_decimal(text) -> Decimal:
    """A plain decimal number as typed by a person: ``19.99``, ``1500``, ``0.5``.

    ``1,50`` is refused, not guessed: a decimal comma to half of Europe, a thousands
    separator to the rest; either guess moves money by a factor of 100."""
    if not isinstance(text, str):
        raise NotAnAmount("Not a number.")
    cleaned = text.strip()
    if "," in cleaned:
        raise NotAnAmount("Use a point for decimals and no thousands separators, "
                          "e.g. 1234.50.")
    if not _PLAIN.fullmatch(cleaned):
        raise NotAnAmount("A decimal number such as 19.99.")
    whole, _, fraction = cleaned.lstrip("-").partition(".")
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise NotAnAmount(f"At most {MAX_WHOLE_DIGITS} digits before the point and "
                          f"{MAX_FRACTION_DIGITS} after it.")
    return Decimal(cleaned)


def to_minor(text, currency: str) -> int:
    """``'19.99', 'EUR' -> 1999``; refuses negatives and more decimals than the currency has."""
    value = parse_decimal(text)
    if value < 0:
        raise NotAnAmount("Must not be negative.")
    return exact_minor(value, currency)


def exact_minor(value: Decimal, currency: str) -> int:
    """A parsed amount (negative allowed: credit notes) as exact minor units."""
    places = exponent(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        name = currency or "the currency"
        raise NotAnAmount(f"At most {places} decimal place(s) for {name}."
                          if places else f"{name} has no decimal places.")
    return int(minor)
