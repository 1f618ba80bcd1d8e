"""Money as staff read and type it: minor units <-> decimal major units, never floats.

Amounts are stored as integers in minor units with an ISO 4217 currency; the back office
shows ``1,234.56 EUR`` and accepts ``1234.56``. The exponent per currency comes from
app.core.money, the one place that knows it.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import and_, false, or_

from app.core.money import currencies, decimal_amount, exponent, format_amount

__all__ = ["AmountAtLeast", "AmountAtMost", "decimal_amount", "format_amount",
           "parse_decimal", "to_minor"]


class NotAnAmount(ValueError):
    pass


def parse_decimal(text) -> Decimal:
    """A plain decimal number as typed by a person: ``19.99``, ``1500``, ``0.5``."""
    if not isinstance(text, str):
        raise NotAnAmount("Not a number.")
    cleaned = text.strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise NotAnAmount("A decimal number such as 19.99.") from None
    # Decimal also parses 'NaN', 'Infinity' and '1e3': none of them is a price.
    if not value.is_finite() or "e" in cleaned.lower():
        raise NotAnAmount("A decimal number such as 19.99.")
    return value


def to_minor(text, currency: str) -> int:
    """``'19.99', 'EUR' -> 1999``; refuses negatives and more decimals than the currency has."""
    value = parse_decimal(text)
    if value < 0:
        raise NotAnAmount("Must not be negative.")
    places = exponent(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise NotAnAmount(f"At most {places} decimal place(s) for {currency}."
                          if places else f"{currency} has no decimal places.")
    return int(minor)


def _exponent_groups() -> dict[int, tuple[str, ...]]:
    groups: dict[int, list[str]] = {}
    for code in sorted(currencies()):  # invoices may be in any ISO currency
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
        try:
            parse_decimal(value)
        except NotAnAmount:
            return False
        return True

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
