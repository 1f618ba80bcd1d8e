"""Seller details (configuration) and buyer details (snapshotted at finalisation)."""
from __future__ import annotations

from flask import current_app

from app.core.errors import InvalidInput
from app.orders.addresses import normalise_address
from app.tax.service import normalise_tax_id, valid_tax_id


def seller() -> dict:
    cfg = current_app.config
    return {
        "name": cfg.get("SELLER_NAME", "NextGen Market GmbH"),
        "address": cfg.get("SELLER_ADDRESS", {"line1": "Friedrichstraße 1", "postal_code": "10117",
                                               "city": "Berlin", "country": "DE"}),
        "country": cfg.get("SELLER_COUNTRY", "DE"),
        "tax_id": cfg.get("SELLER_TAX_ID", "DE123456789"),
        "email": cfg.get("SELLER_EMAIL", "billing@nextgen.example"),
        "bank": cfg.get("SELLER_BANK", {"name": "Demo Bank", "iban": "DE89370400440532013000",
                                        "bic": "COBADEFFXXX"}),
        "logo_path": cfg.get("SELLER_LOGO_PATH"),
    }


def normalise_buyer(buyer: dict | None) -> dict:
    if not isinstance(buyer, dict):
        raise InvalidInput("Buyer details are required.", errors={"buyer": ["Required."]})
    name = (buyer.get("name") or "").strip()
    email = (buyer.get("email") or "").strip() or None
    errors = {}
    if not name:
        errors["name"] = ["Required."]
    address = None
    try:
        address = normalise_address(buyer.get("address"), "address")
    except InvalidInput as exc:
        errors.update(exc.errors)
    tax_id = normalise_tax_id(buyer.get("tax_id"))
    is_business = bool(buyer.get("is_business"))
    if tax_id and not valid_tax_id(tax_id):
        errors["tax_id"] = ["Not a valid VAT id (country prefix + 2 to 13 characters)."]
    if errors:
        raise InvalidInput("Buyer details are not valid.", errors={"buyer": errors})
    return {"name": name[:200], "email": email, "address": address, "tax_id": tax_id,
            "is_business": is_business}
