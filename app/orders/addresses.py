"""Postal addresses on orders: validated and normalised once, snapshotted on the order."""
from __future__ import annotations

import re

from app.core.errors import InvalidInput

FIELDS = {"name": 200, "line1": 200, "line2": 200, "city": 100, "region": 100,
          "postal_code": 20, "country": 2}
REQUIRED = ("name", "line1", "city", "postal_code", "country")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def normalise_address(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput("An address is required.", errors={field: ["Required."]})
    errors, address = {}, {}
    for key in value:
        if key not in FIELDS:
            errors[key] = ["Unknown field."]
    for key, max_len in FIELDS.items():
        raw = value.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if key in REQUIRED:
                errors[key] = ["Required."]
            continue
        if not isinstance(raw, str) or len(raw.strip()) > max_len:
            errors[key] = [f"Text of at most {max_len} characters."]
            continue
        address[key] = raw.strip()
    if "country" in address:
        address["country"] = address["country"].upper()
        if not _COUNTRY.match(address["country"]):
            errors["country"] = ["ISO 3166-1 alpha-2 code."]
    if errors:
        raise InvalidInput("The address is not valid.", errors={field: errors})
    return address
