"""The audit log: every staff and API mutation records who, what, before/after."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import insert

from app.audit import chain
from app.audit.models import AuditEntry
from app.core.actor import Actor
from app.core.requestid import (
    current_client_ip, current_client_request_id, current_request_id,
)
from app.extensions import db

REDACTED_KEYS = {"password", "password_hash", "totp_secret", "key_hash", "token"}


def _jsonable(value):
    if isinstance(value, dict):
        return {
            k: ("[redacted]" if k in REDACTED_KEYS else _jsonable(v)) for k, v in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def record(
    actor: Actor,
    action: str,
    target_type: str,
    target_id,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits with the change itself)."""
    entry = AuditEntry(
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_label=actor.label[:255],
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        request_id=current_request_id(),
        client_request_id=current_client_request_id(),
        ip=current_client_ip(),
    )
    db.session.add(entry)
    return entry


def record_failure(actor: Actor, action: str, target_type: str, target_id, *,
                   after: dict | None = None) -> None:
    """An entry written in its own transaction, for an attempt that failed (a wrong
    password, a wrong code: the request's unit of work rolls back on the failure, and the
    entry must survive it), or for a read that has no unit of work (a list export)."""
    values = {"id": uuid.uuid4(), "occurred_at": dt.datetime.now(dt.timezone.utc),
              "actor_kind": actor.kind, "actor_id": actor.id, "actor_label": actor.label[:255],
              "action": action, "target_type": target_type,
              "target_id": str(target_id) if target_id is not None else None,
              "before": None, "after": _jsonable(after) if after is not None else None,
              "request_id": current_request_id(),
              "client_request_id": current_client_request_id(), "ip": current_client_ip()}
    with db.engine.begin() as conn:
        conn.execute(insert(AuditEntry), [values])
        chain.seal(conn, [values["id"]])


MAX_FILTER_KEYS = 30
MAX_FILTER_VALUE = 200


def export_filters(args) -> dict:
    """The query-string filters of an export as the audit keeps them (a request's args
    or a dict), bounded: a crafted URL cannot make an entry large."""
    items = args.lists() if hasattr(args, "lists") else (
        (k, v if isinstance(v, list) else [v]) for k, v in dict(args or {}).items())
    kept = {}
    for key, values in items:
        values = [str(v)[:MAX_FILTER_VALUE] for v in values if v not in (None, "")]
        if values and len(kept) < MAX_FILTER_KEYS:
            kept[str(key)[:MAX_FILTER_VALUE]] = values[0] if len(values) == 1 else values[:10]
    return kept


def record_export(actor: Actor, dataset: str, fmt: str, *, rows: int, filters=None,
                  target_id=None, own_transaction: bool = False) -> None:
    """Data leaving through a file (CSV, XLSX, ZIP): who, what, how many rows, which
    filters. Exports hold personal data (buyers' names, emails, tax ids; staff emails and
    addresses in the audit log), so each one is on the record. ``own_transaction``: for
    a caller whose session holds the rows being exported (committing it would expire them)."""
    after = {"dataset": dataset, "format": fmt, "rows": rows,
             "filters": export_filters(filters)}
    if own_transaction:
        record_failure(actor, "data.export", "export", target_id, after=after)
    else:
        record(actor, "data.export", "export", target_id, after=after)


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, so entries show the change, not the whole row."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
