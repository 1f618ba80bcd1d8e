"""EU VAT ids: their format, their country, and the country code VIES expects.

The format says nothing about whether the id exists or belongs to the buyer: only a VIES
check does (app.tax.vat_checks)."""
from __future__ import annotations

import re

EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
      "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
# Country prefix (Greece uses EL) + 2 to 13 letters/digits.
_VAT_ID = re.compile(r"^(?P<cc>[A-Z]{2})[0-9A-Z+*]{2,13}$")


def normalise_tax_id(tax_id: str | None) -> str | None:
    if not tax_id:
        return None
    return re.sub(r"[\s.-]", "", tax_id).upper()


def valid_tax_id(tax_id: str | None) -> bool:
    return bool(tax_id and _VAT_ID.match(tax_id))


def tax_id_country(tax_id: str) -> str:
    """The ISO 3166 country of an id: Greek ids start with EL, Greece is GR."""
    cc = tax_id[:2]
    return "GR" if cc == "EL" else cc


def vies_parts(tax_id: str) -> tuple[str, str]:
    """(country code, number) as VIES takes them: VIES knows Greece only as EL."""
    cc = tax_id[:2]
    return ("EL" if cc == "GR" else cc), tax_id[2:]
