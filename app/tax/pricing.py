"""Pricing lines with tax: rates in force on the supply date for where the goods go,
then the one computation in app.tax.calculate. Orders at checkout and invoice drafts
both price through here, so an order and its invoice can never disagree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.tax import calculate, service as tax, treatments


@dataclass(frozen=True)
class Item:
    quantity: int
    unit_amount: int  # minor units, as the catalogue or the draft states it
    tax_category: str


def rates_for(categories, *, country: str, region: str | None, on: date,
              reverse_charge: bool = False) -> dict[str, Decimal]:
    """{category: rate} for each category; raises NoTaxRate for a taxable category
    without a configured rate."""
    return {category: Decimal("0") if reverse_charge else
            tax.rate_for(country, region, category, on) for category in set(categories)}


def price(items: list[Item], rates: dict[str, Decimal], *, inclusive: bool,
          sign: int = 1) -> calculate.Totals:
    return calculate.compute(
        [calculate.LineIn(i.quantity, sign * i.unit_amount, rates[i.tax_category]) for i in items],
        inclusive=inclusive)


def breakdown_json(lines, *, reverse_charge: bool = False) -> list[dict]:
    """The breakdown as stored and shown by the API: rates as strings, never floats."""
    return [{"treatment": kind, "rate": f"{rate:.6f}", "net_amount": net, "tax_amount": tax_}
            for kind, rate, net, tax_ in treatments.breakdown(lines, reverse_charge=reverse_charge)]
