"""How the back office shows things to people: money, times in the staff member's zone,
actors by name and role, and links to the page of every id."""
from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import Flask, url_for
from markupsafe import Markup, escape

from app.core.money import format_amount

# Which list endpoint shows each kind of target.
DETAIL_ENDPOINTS = {
    "order": "bo_orders.details_view",
    "invoice": "bo_invoices.details_view",
    "credit_note": "bo_invoices.details_view",
    "payment": "bo_payments.details_view",
    "customer": "customers.details_view",
    "user": "customers.details_view",
    "staff": "staff_accounts.details_view",
    "product": "bo_products.details_view",
    "bank_transfer": "bo_bank_transfers.details_view",
    "notification": "bo_notifications.details_view",
    "webhook_endpoint": "bo_webhooks.details_view",
}


def money(amount, currency) -> str:
    if amount is None or not currency:
        return "—"
    return format_amount(int(amount), currency)


def staff_zone() -> ZoneInfo:
    from admin.security import signed_in_staff

    staff = signed_in_staff()
    name = getattr(staff, "timezone", None) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(value: datetime | None) -> str:
    """To the minute, in the signed-in staff member's time zone, naming it."""
    if value is None:
        return "—"
    zone = staff_zone()
    return f"{value.astimezone(zone):%Y-%m-%d %H:%M} {zone.key}"


def valid_timezone(name: str) -> bool:
    return name in _zones()


_ZONES: list[str] = []


def _zones() -> list[str]:
    if not _ZONES:
        _ZONES.extend(sorted(available_timezones()))
    return _ZONES


def timezone_choices() -> list[str]:
    return list(_zones())


def link_to(kind: str, ident, text=None) -> Markup:
    """``<a href="details">text</a>``, text escaped; plain text when there is no page."""
    endpoint = DETAIL_ENDPOINTS.get(kind)
    label = escape(text if text is not None else ident)
    if endpoint is None or ident is None:
        return Markup(label)
    try:
        uuid.UUID(str(ident))
    except ValueError:
        return Markup(label)
    return Markup('<a href="{}">{}</a>').format(url_for(endpoint, id=str(ident)), label)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["link_to"] = link_to
    from admin.actors import actor_name

    app.jinja_env.filters["actor_name"] = actor_name
