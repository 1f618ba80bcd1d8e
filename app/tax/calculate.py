"""The one tax computation.

Rounding rule (documented, tested): tax is computed **per line**, in the currency's minor
units, rounded **half-up** (half away from zero, so a credit note is the exact negative
of its invoice):

- tax-exclusive prices: net = quantity x unit; tax = round(net x rate); gross = net + tax
- tax-inclusive prices: gross = quantity x unit; net = round(gross / (1 + rate)); tax = gross - net

Every amount is an integer, so the invoice total is the sum of the line grosses, which is
the sum of the line nets plus the sum of the line taxes, to the cent, for any input.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class LineIn:
    quantity: int
    unit_amount: int  # minor units
    rate: Decimal  # a fraction: Decimal("0.19")


@dataclass(frozen=True)
class LineOut:
    net: int
    tax: int
    gross: int
    rate: Decimal


@dataclass(frozen=True)
class Totals:
    lines: list[LineOut]
    subtotal: int  # sum of nets
    tax: int
    total: int
    breakdown: dict[Decimal, tuple[int, int]]  # rate -> (net base, tax)


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line(item: LineIn, *, inclusive: bool) -> LineOut:
    if not isinstance(item.rate, Decimal):
        raise TypeError("tax rates are Decimal, never float")
    amount = item.quantity * item.unit_amount
    if inclusive:
        gross = amount
        net = round_half_up(Decimal(gross) / (1 + item.rate))
        tax = gross - net
    else:
        net = amount
        tax = round_half_up(Decimal(net) * item.rate)
        gross = net + tax
    return LineOut(net=net, tax=tax, gross=gross, rate=item.rate)


def compute(items: list[LineIn], *, inclusive: bool) -> Totals:
    lines = [line(item, inclusive=inclusive) for item in items]
    breakdown: dict[Decimal, tuple[int, int]] = {}
    for out in lines:
        net, tax = breakdown.get(out.rate, (0, 0))
        breakdown[out.rate] = (net + out.net, tax + out.tax)
    subtotal = sum(out.net for out in lines)
    tax = sum(out.tax for out in lines)
    total = sum(out.gross for out in lines)
    return Totals(lines=lines, subtotal=subtotal, tax=tax, total=total,
                  breakdown=dict(sorted(breakdown.items())))
