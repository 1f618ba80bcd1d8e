"""Named lists for rules (``email_domain in @blocked_domains``) and the allow and block
lists; admins edit them, every change audited."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.text import is_clean
from app.core.types import as_uuid
from app.extensions import db
from app.fraud.models import FraudListEntry
from app.fraud.rule_edits import _require_admin

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")


def entries() -> list[FraudListEntry]:
    return list(db.session.scalars(select(FraudListEntry)
                                   .order_by(FraudListEntry.list_name, FraudListEntry.value)))


def add(list_name: str, value: str, *, note: str = "", actor: Actor) -> FraudListEntry:
    _require_admin(actor)
    name = (list_name or "").strip().lower()
    value = (value or "").strip().lower()
    errors = {}
    if not _NAME.fullmatch(name):
        errors["list_name"] = ["Letters, digits and _, starting with a letter (e.g. blocked_domains)."]
    if not value or len(value) > 255 or not is_clean(value):
        errors["value"] = ["1 to 255 printable characters."]
    if errors:
        raise InvalidInput("The list entry is not valid.", errors=errors)
    if db.session.scalar(select(FraudListEntry.id).where(
            FraudListEntry.list_name == name, FraudListEntry.value == value)) is not None:
        raise Conflict(f"{value} is already on @{name}.")
    entry = FraudListEntry(list_name=name, value=value, note=(note or "").strip()[:500],
                           created_by=actor.ref)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "fraud_list.add", "fraud_list_entry", entry.id,
                 after={"list": name, "value": value})
    return entry


def remove(entry_id, *, actor: Actor) -> None:
    _require_admin(actor)
    entry = db.session.get(FraudListEntry, as_uuid(entry_id)) if as_uuid(entry_id) else None
    if entry is None:
        raise NotFound("List entry not found.")
    audit.record(actor, "fraud_list.remove", "fraud_list_entry", entry.id,
                 before={"list": entry.list_name, "value": entry.value})
    db.session.delete(entry)
    db.session.flush()
