"""Tax rates as data (effective-dated, by country/region and category) and the rules
that pick one: zero-rated and exempt categories, reverse charge for business buyers."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.types import as_uuid
from app.extensions import db
from app.tax.models import TaxRate
# Re-exported: callers (app.invoices) import the VAT id helpers and the reverse-charge
# rule from here; they live in their own small modules.
from app.tax.reverse_charge import (reverse_charge_applies,  # noqa: F401
                                    reverse_charge_decision)
from app.tax.vat_ids import EU, normalise_tax_id, tax_id_country, valid_tax_id  # noqa: F401

CATEGORIES = ("standard", "reduced", "zero", "exempt")
ZERO_CATEGORIES = {"zero": "Zero-rated", "exempt": "Exempt"}


def check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise InvalidInput("Unknown tax category.",
                           errors={"tax_category": [f"One of {', '.join(CATEGORIES)}."]})


class NoTaxRate(InvalidInput):
    """No rate is configured for where the goods go: nothing can be priced there."""

    def __init__(self, country: str, category: str, on: date):
        self.country = country
        super().__init__(f"No {category} tax rate for {country} on {on.isoformat()}.",
                         errors={"tax_category": [f"No rate configured for {country}."]})


def rate_for(country: str, region: str | None, category: str, on: date) -> Decimal:
    """The rate in force on ``on``; a region's own rate wins over the country's.
    Countries and regions match whatever their case ("ny" is "NY")."""
    check_category(category)
    if category in ZERO_CATEGORIES:
        return Decimal("0")
    country = (country or "").upper()
    region = region.strip().upper() if isinstance(region, str) and region.strip() else None
    rows = db.session.scalars(
        select(TaxRate).where(
            TaxRate.country == country, TaxRate.tax_category == category,
            TaxRate.valid_from <= on, or_(TaxRate.valid_to.is_(None), TaxRate.valid_to >= on),
            or_(TaxRate.region.is_(None), func.upper(TaxRate.region) == region),
        )
    ).all()
    if not rows:
        raise NoTaxRate(country, category, on)
    rows.sort(key=lambda r: (r.region is None, -r.valid_from.toordinal()))
    return rows[0].rate


def _parse_rate(value) -> Decimal:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput("Invalid rate.", errors={"rate": ["A decimal fraction, e.g. 0.19."]}) from None
    if not rate.is_finite() or not Decimal("0") <= rate < Decimal("1") \
            or rate != rate.quantize(Decimal("0.000001")):
        raise InvalidInput("Invalid rate.",
                           errors={"rate": ["From 0 to 0.999999, 6 decimals at most."]})
    return rate


def create_rate(country: str, category: str, rate, name: str, valid_from: date,
                valid_to: date | None = None, region: str | None = None, *, actor: Actor) -> TaxRate:
    check_category(category)
    country = (country or "").upper()
    if not re.match(r"^[A-Z]{2}$", country):
        raise InvalidInput("Invalid country.", errors={"country": ["ISO 3166-1 alpha-2 code."]})
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("The rate ends before it starts.", errors={"valid_to": ["Before valid_from."]})
    region = region.strip().upper() if isinstance(region, str) and region.strip() else None
    row = TaxRate(country=country, region=region, tax_category=category,
                  rate=_parse_rate(rate), name=(name or f"{country} {category}").strip()[:100],
                  valid_from=valid_from, valid_to=valid_to)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "tax_rate.create", "tax_rate", row.id,
                 after={"country": country, "region": region, "category": category,
                        "rate": str(row.rate), "valid_from": valid_from, "valid_to": valid_to})
    db.session.flush()
    return row


def end_rate(rate_id, valid_to: date, *, actor: Actor) -> TaxRate:
    """Rates are never edited in place (issued invoices used them): a rate ends, and a
    new one starts the next day."""
    row = db.session.get(TaxRate, as_uuid(rate_id)) if as_uuid(rate_id) else None
    if row is None:
        raise NotFound("Tax rate not found.")
    if valid_to < row.valid_from:
        raise InvalidInput("The rate ends before it starts.", errors={"valid_to": ["Before valid_from."]})
    before = row.valid_to
    row.valid_to = valid_to
    audit.record(actor, "tax_rate.end", "tax_rate", row.id, before={"valid_to": before},
                 after={"valid_to": valid_to})
    db.session.flush()
    return row
