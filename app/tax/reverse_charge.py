"""EU reverse charge (0 % VAT, the buyer accounts for it): the one rule, with its reason.

It applies only to a business buyer in another EU member state than the seller whose VAT
id VIES confirmed recently. The id's format alone proves nothing (anyone can type
"FR00..."), and an id of one country with an address in another is not that buyer's."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app

from app.core.types import utcnow
from app.tax.vat_checks import latest_check
from app.tax.vat_ids import EU, normalise_tax_id, tax_id_country, valid_tax_id


class Decision(NamedTuple):
    applies: bool
    reason: str  # for staff: why reverse charge was, or was not, applied


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _check_reason(tax_id: str, at: datetime) -> Decision:
    """What the stored VIES checks made up to ``at`` say about ``tax_id``."""
    checked = latest_check(tax_id, at=at, conclusive=True)
    if checked is None:
        attempt = latest_check(tax_id, at=at)
        if attempt is not None:
            return Decision(False, f"VIES could not verify {tax_id} on {_day(attempt.checked_at)} "
                                   f"({attempt.error}): normal VAT.")
        return Decision(False, f"VAT id {tax_id} has not been verified with VIES: normal VAT.")
    if not checked.valid:
        return Decision(False, f"VIES reported {tax_id} as not valid on "
                               f"{_day(checked.checked_at)}: normal VAT.")
    max_age = current_app.config["VAT_CHECK_MAX_AGE_DAYS"]
    if at - checked.checked_at > timedelta(days=max_age):
        return Decision(False, f"The last VIES check of {tax_id} ({_day(checked.checked_at)}) "
                               f"is older than {max_age} days: check it again. Normal VAT.")
    consultation = f", consultation {checked.request_id}" if checked.request_id else ""
    return Decision(True, f"VAT id {tax_id} verified by VIES on {_day(checked.checked_at)}"
                          f"{consultation}: EU cross-border B2B supply, reverse charge.")


def reverse_charge_decision(seller_country: str, buyer: dict, *,
                            at: datetime | None = None) -> Decision:
    """Whether reverse charge applies to a sale to ``buyer`` (an invoice's buyer dict:
    is_business, tax_id, address.country), and why, with the checks known at ``at``
    (default now; an issued invoice's finalisation time reproduces its decision)."""
    at = at or utcnow()
    buyer = buyer or {}
    tax_id = normalise_tax_id(buyer.get("tax_id"))
    if not buyer.get("is_business"):
        return Decision(False, "The buyer is not a business: normal VAT.")
    if not tax_id:
        return Decision(False, "The buyer has no VAT id: normal VAT.")
    if not valid_tax_id(tax_id):
        return Decision(False, f"{tax_id} is not an EU VAT id: normal VAT.")
    if seller_country not in EU:
        return Decision(False, f"The seller ({seller_country}) is not in the EU: normal VAT.")
    id_country = tax_id_country(tax_id)
    if id_country not in EU:
        return Decision(False, f"VAT id {tax_id} is not from an EU member state: normal VAT.")
    if id_country == seller_country:
        return Decision(False, f"The buyer's VAT id is from the seller's country ({id_country}): "
                               "domestic supply, normal VAT.")
    address_country = ((buyer.get("address") or {}).get("country") or "").upper()
    if address_country != id_country:
        return Decision(False, f"The buyer's address country ({address_country or 'none'}) does "
                               f"not match the VAT id's country ({id_country}): normal VAT.")
    return _check_reason(tax_id, at)


def reverse_charge_applies(seller_country: str, buyer: dict) -> bool:
    return reverse_charge_decision(seller_country, buyer).applies
