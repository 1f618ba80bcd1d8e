"""Money as staff read and type it: minor units <-> decimal major units, never floats.

Amounts are stored as integers in minor units with an ISO 4217 currency; the back office
shows ``1,234.56 EUR`` and accepts ``1234.56``. The exponent per currency comes from
app.orders.money, the one place that knows it.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import and_, false, or_

from app.catalog.rules import CURRENCIES
from app.orders.money import decimal_amount, exponent, format_amount

__all__ = ["AmountAtLeast", "AmountAtMost", "NotAnAmount", "decimal_amount", "exact_minor",
           "format_amount", "parse_decimal", "to_minor"]


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


def _exponent_groups() -> dict[int, tuple[str, ...]]:
    groups: dict[int, list[str]] = {}
    for code in CURRENCIES:
        groups.setdefault(exponent(code), []).append(code)
    return {places: tuple(codes) for places, codes in groups.items()}


class _AmountFilter(BaseSQLAFilter):
    """Compares an amount typed in major units with each row in its own currency.

    ``at least 10`` means 1000 minor units for EUR but 10 for JPY: one condition per
    currency exponent, exact (Decimal), no float anywhere.
    """

    def __init__(self, column, currency_column, name: str):
        super().__init__(column, name)
        self.currency_column = currency_column

    def validate(self, value) -> bool:
        return self.why_invalid(value) is None

    def why_invalid(self, value) -> str | None:
        """Why ``value`` is ignored as a bound (flashed by SecureModelView), else None."""
        try:
            parse_decimal(value)
        except NotAnAmount as exc:
            return str(exc)
        return None

    def clean(self, value) -> Decimal:
        return parse_decimal(value)

    def _limit(self, value: Decimal, places: int) -> int:
        raise NotImplementedError

    def _compare(self, column, bound: int):
        raise NotImplementedError

    def apply(self, query, value, alias=None):
        column = self.get_column(alias)
        currency = (self.currency_column if alias is None
                    else getattr(alias, self.currency_column.key))
        conditions = [and_(currency.in_(codes),
                           self._compare(column, self._limit(value, places)))
                      for places, codes in _exponent_groups().items()]
        return query.filter(or_(*conditions) if conditions else false())


class AmountAtLeast(_AmountFilter):
    def _limit(self, value, places):
        # ceil: 'at least 0.005 EUR' is at least 1 cent
        return int(value.scaleb(places).to_integral_value(rounding="ROUND_CEILING"))

    def _compare(self, column, bound):
        return column >= bound

    def operation(self):
        return lazy_gettext("at least")


class AmountAtMost(_AmountFilter):
    def _limit(self, value, places):
        return int(value.scaleb(places).to_integral_value(rounding="ROUND_FLOOR"))

    def _compare(self, column, bound):
        return column <= bound

    def operation(self):
        return lazy_gettext("at most")
