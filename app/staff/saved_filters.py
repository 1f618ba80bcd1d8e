"""Saved filters: a staff member keeps a list's search, filters and sort under a name and
re-applies them later. Each is its owner's alone: nobody else sees, applies or deletes it.

What is kept is the list URL's query string, minus what names a moment rather than a
selection (the page number) and anything that is not a plain key=value pair; it is only
ever appended to the list's own URL, so it cannot point anywhere else."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid
from app.extensions import db
from app.staff.models import SavedFilter

MAX_NAME = 80
MAX_QUERY = 2000
MAX_PER_LIST = 50
# Query arguments that say where one is, not what one selects.
_DROPPED = {"page", "url", "csrf_token", "modal"}


def clean_query(query: str) -> str:
    """The query string as it will be stored and re-applied: key=value pairs only, in
    their order, without the page number."""
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False)
             if k not in _DROPPED]
    if not all(is_clean(k) and is_clean(v) for k, v in pairs):
        raise InvalidInput("Filters not saved.", errors={"query": [MESSAGE]})
    text = urlencode(pairs)
    if len(text) > MAX_QUERY:
        raise InvalidInput("Filters not saved.",
                           errors={"query": [f"At most {MAX_QUERY} characters of filters."]})
    return text


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("Filters not saved.", errors={"name": ["Required."]})
    if len(name) > MAX_NAME:
        raise InvalidInput("Filters not saved.",
                           errors={"name": [f"At most {MAX_NAME} characters."]})
    if not is_clean(name):
        raise InvalidInput("Filters not saved.", errors={"name": [MESSAGE]})
    return name


def listed(staff_id, list_name: str) -> list[SavedFilter]:
    return list(db.session.scalars(
        select(SavedFilter).where(SavedFilter.staff_id == staff_id,
                                  SavedFilter.list_name == list_name)
        .order_by(SavedFilter.name)))


def save(staff_id, list_name: str, name: str, query: str, *, actor: Actor) -> SavedFilter:
    """Saves (or, under a name already used on this list, replaces) the filters."""
    name, query = _name(name), clean_query(query)
    row = db.session.scalars(select(SavedFilter).where(
        SavedFilter.staff_id == staff_id, SavedFilter.list_name == list_name,
        SavedFilter.name == name)).first()
    if row is None:
        used = db.session.scalar(select(func.count()).select_from(SavedFilter).where(
            SavedFilter.staff_id == staff_id, SavedFilter.list_name == list_name))
        if used >= MAX_PER_LIST:
            raise InvalidInput("Filters not saved.", errors={"name": [
                f"At most {MAX_PER_LIST} saved filters per list: delete one first."]})
        row = SavedFilter(staff_id=staff_id, list_name=list_name, name=name, query=query)
        db.session.add(row)
        before = None
    else:
        before = {"query": row.query}
        row.query = query
    db.session.flush()
    audit.record(actor, "saved_filter.save", "saved_filter", row.id, before=before,
                 after={"list": list_name, "name": name, "query": query})
    return row


def get(staff_id, filter_id, list_name: str) -> SavedFilter:
    """One of the staff member's own filters on that list; anyone else's is not found."""
    ident = as_uuid(filter_id)
    row = db.session.get(SavedFilter, ident) if ident is not None else None
    if row is None or row.staff_id != staff_id or row.list_name != list_name:
        raise NotFound("No such saved filter.")
    return row


def delete(staff_id, filter_id, list_name: str, *, actor: Actor) -> None:
    row = get(staff_id, filter_id, list_name)
    audit.record(actor, "saved_filter.delete", "saved_filter", row.id,
                 before={"list": list_name, "name": row.name, "query": row.query})
    db.session.delete(row)
    db.session.flush()
