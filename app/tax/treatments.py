"""How a line is taxed, kept apart wherever amounts are summed per rate: a 0 % that is
zero-rated, one that is exempt and one under reverse charge are different facts on an
invoice, a return and an export, and never one "0 %" row."""
from __future__ import annotations

from decimal import Decimal

TAXABLE, ZERO_RATED, EXEMPT, REVERSE_CHARGE = "taxable", "zero_rated", "exempt", "reverse_charge"
TREATMENTS = (TAXABLE, ZERO_RATED, EXEMPT, REVERSE_CHARGE)
LABELS = {TAXABLE: "VAT", ZERO_RATED: "Zero-rated", EXEMPT: "Exempt",
          REVERSE_CHARGE: "Reverse charge"}
# Printed on the document beside exempt or reverse-charged amounts (the legal mention).
WORDING = {
    EXEMPT: "VAT exempt supply.",
    REVERSE_CHARGE: "Reverse charge: VAT to be accounted for by the recipient. "
                    "Article 196, Directive 2006/112/EC.",
}


def treatment(tax_category: str, *, reverse_charge: bool = False) -> str:
    if reverse_charge:
        return REVERSE_CHARGE
    if tax_category == "zero":
        return ZERO_RATED
    if tax_category == "exempt":
        return EXEMPT
    return TAXABLE


def breakdown(lines, *, reverse_charge: bool = False) -> list[tuple[str, Decimal, int, int]]:
    """(treatment, rate, net base, tax) per treatment and rate, taxable rates highest
    first, then zero-rated, exempt and reverse charge. ``lines`` have tax_category,
    tax_rate, net_amount and tax_amount."""
    sums: dict[tuple[str, Decimal], list[int]] = {}
    for line in lines:
        key = (treatment(line.tax_category, reverse_charge=reverse_charge),
               Decimal(line.tax_rate or 0))
        entry = sums.setdefault(key, [0, 0])
        entry[0] += line.net_amount or 0
        entry[1] += line.tax_amount or 0
    order = {name: i for i, name in enumerate(TREATMENTS)}
    return [(kind, rate, net, tax) for (kind, rate), (net, tax)
            in sorted(sums.items(), key=lambda item: (order[item[0][0]], -item[0][1]))]
