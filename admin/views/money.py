"""Money as staff read and type it: minor units <-> decimal major units, never floats.

Amounts are stored as integers in minor units with an ISO 4217 currency; the back office
shows ``1,234.56 EUR`` and accepts ``1234.56``. The exponent per currency comes from
app.core.money, the one place that knows it.
"""
from __future__ import annotations

from decimal import Decimal

from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import and_, false, or_

from app.core.money import (NotAnAmount, currencies, decimal_amount, exact_minor, exponent,
                            format_amount, parse_decimal, to_minor)

__all__ = ["AmountAtLeast", "AmountAtMost", "NotAnAmount", "decimal_amount", "exact_minor",
           "format_amount", "parse_decimal", "to_minor"]


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
