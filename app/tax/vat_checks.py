"""Checking a buyer's VAT id with VIES, and what the stored checks say about it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import InvalidInput
from app.core.types import utcnow
from app.extensions import db
from app.tax import vies
from app.tax.models import VatCheck
from app.tax.vat_ids import EU, normalise_tax_id, tax_id_country, valid_tax_id, vies_parts


def verify_vat_id(tax_id: str | None, *, actor: Actor) -> VatCheck:
    """Ask VIES about ``tax_id`` and store the answer with its date (also when VIES did
    not answer: the failed attempt is part of the record)."""
    tax_id = normalise_tax_id(tax_id)
    if not valid_tax_id(tax_id):
        raise InvalidInput("Not a valid VAT id.",
                           errors={"tax_id": ["Country prefix + 2 to 13 characters."]})
    country = tax_id_country(tax_id)
    if country not in EU:
        raise InvalidInput("VIES checks EU VAT ids only.",
                           errors={"tax_id": [f"{country} is not an EU member state."]})
    # The network call comes before any row is written: no transaction waits on VIES.
    result = vies.checker().check(*vies_parts(tax_id))
    row = VatCheck(tax_id=tax_id, country=country, valid=bool(result.valid and not result.error),
                   name=result.name, address=result.address, request_id=result.request_id,
                   error=result.error, checked_at=result.checked_at)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "tax.vat_check", "vat_check", row.id,
                 after={"tax_id": tax_id, "valid": row.valid, "error": row.error,
                        "request_id": row.request_id})
    return row


def latest_check(tax_id: str | None, *, at: datetime | None = None,
                 conclusive: bool = False) -> VatCheck | None:
    """The newest check of ``tax_id`` made no later than ``at`` (default: now); with
    ``conclusive``, the newest one where VIES actually answered."""
    tax_id = normalise_tax_id(tax_id)
    if not tax_id:
        return None
    query = select(VatCheck).where(VatCheck.tax_id == tax_id,
                                   VatCheck.checked_at <= (at or utcnow()))
    if conclusive:
        query = query.where(VatCheck.error.is_(None))
    return db.session.scalars(
        query.order_by(VatCheck.checked_at.desc(), VatCheck.id.desc()).limit(1)).first()
