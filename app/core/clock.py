"""Business dates: UTC in the database, but the day an invoice is issued, the tax date
and the year of a number are the seller's calendar day (SELLER_TIMEZONE), never the
host's local clock."""
from __future__ import annotations

import functools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app.core.types import utcnow


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def seller_zone() -> ZoneInfo:
    return _zone(current_app.config.get("SELLER_TIMEZONE") or "UTC")


def business_date(moment: datetime | None = None) -> date:
    """The seller's calendar day at ``moment`` (now by default), an aware datetime."""
    return (moment or utcnow()).astimezone(seller_zone()).date()
