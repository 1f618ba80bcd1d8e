"""Catalogue validation rules: one place, used by single writes and bulk upserts alike.

Values may come straight from JSON (bulk rows are not pre-parsed by a schema, so the
per-row report speaks the domain's language), so every check is type-robust.
"""
from __future__ import annotations

import re

from app.core.types import as_uuid

SKU_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_AMOUNT = 10**9  # exclusive: a sane bound per unit (amount columns are 64-bit)
# A small supported set: adding a currency is a product decision (tax, payments), not a typo.
# The currencies this store prices in (all ISO 4217, exponents from app.core.money):
# 0 decimals (JPY, KRW), 2, and 3 (KWD, BHD).
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CAD", "AUD", "JPY", "KRW",
              "KWD", "BHD")
TAX_CATEGORIES = ("standard", "reduced", "zero", "exempt")

FIELDS = ("sku", "name", "description", "price_amount", "currency", "tax_category", "active",
          "stock_on_hand", "category_id", "image_url")
REQUIRED = ("sku", "name", "price_amount", "currency")
DEFAULTS = {"description": "", "tax_category": "standard", "active": True, "stock_on_hand": 0,
            "category_id": None, "image_url": None}


class Bad(ValueError):
    pass


def _int(value, what: str) -> int:
    # bool is an int in Python; a JSON true is not a price.
    if not isinstance(value, int) or isinstance(value, bool):
        raise Bad("Must be an integer (minor units)." if what == "price" else "Must be an integer.")
    if not 0 <= value < MAX_AMOUNT:
        raise Bad(f"Must be between 0 and {MAX_AMOUNT - 1}.")
    return value


def _sku(value):
    if not isinstance(value, str) or not SKU_RE.match(value):
        raise Bad("1-64 characters: letters, digits, '.', '_' or '-'.")
    return value


def _name(value):
    if not isinstance(value, str) or not value.strip():
        raise Bad("Required.")
    value = value.strip()
    if len(value) > 200:
        raise Bad("At most 200 characters.")
    return value


def _description(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Bad("Must be a string.")
    if len(value) > 10_000:
        raise Bad("At most 10000 characters.")
    return value


def _currency(value):
    if not isinstance(value, str) or not CURRENCY_RE.match(value):
        raise Bad("ISO 4217 code: three uppercase letters.")
    if value not in CURRENCIES:
        raise Bad(f"Unsupported currency; choose from: {', '.join(CURRENCIES)}.")
    return value


def _tax_category(value):
    if value not in TAX_CATEGORIES:
        raise Bad(f"Choose from: {', '.join(TAX_CATEGORIES)}.")
    return value


def _active(value):
    if not isinstance(value, bool):
        raise Bad("Must be a boolean.")
    return value


def _category_id(value):
    if value is None:
        return None
    ident = as_uuid(value)
    if ident is None:
        raise Bad("Must be a category id (UUID).")
    return ident


def _image_url(value):
    if value is None or value == "":
        return None
    # Only web URLs: a javascript: URL would be stored XSS wherever it is rendered.
    if not isinstance(value, str) or not re.match(r"^https?://\S+$", value) or len(value) > 500:
        raise Bad("An http(s) URL of at most 500 characters.")
    return value


CLEANERS = {
    "sku": _sku,
    "name": _name,
    "description": _description,
    "price_amount": lambda v: _int(v, "price"),
    "currency": _currency,
    "tax_category": _tax_category,
    "active": _active,
    "stock_on_hand": lambda v: _int(v, "stock"),
    "category_id": _category_id,
    "image_url": _image_url,
}


def clean(data, *, complete: bool) -> tuple[dict, dict]:
    """(clean values, errors by field). ``complete``: a whole product (create, replace,
    upsert row), so required fields must be there; otherwise a partial update."""
    if not isinstance(data, dict):
        return {}, {"_schema": ["Must be an object."]}
    out, errors = {}, {}
    for key, value in data.items():
        cleaner = CLEANERS.get(key)
        if cleaner is None:
            errors[str(key)] = ["Unknown field."]
            continue
        try:
            out[key] = cleaner(value)
        except Bad as exc:
            errors[key] = [str(exc)]
    if complete:
        for key in REQUIRED:
            if key not in data:
                errors[key] = ["Required."]
    return out, errors


def stock(value) -> int:
    return _int(value, "stock")
