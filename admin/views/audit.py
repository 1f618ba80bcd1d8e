"""The audit log: read-only for every staff role, newest first, filterable, exportable.
Nothing here can change an entry (and the ORM and a PostgreSQL trigger refuse anyway).

People read it: actors as names with their role, linked to their page; targets linked to
theirs; times to the minute in the reader's time zone (admin/display.py), and the time
filters read what is typed in that zone too. Filters by actor (name, email or id), target
(kind and id) and time range."""
from __future__ import annotations

import json

from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from markupsafe import Markup
from sqlalchemy import or_, select

from admin.display import DETAIL_ENDPOINTS, link_to
from admin.security import ALL_ROLES, SecureModelView
from app.audit.models import AuditEntry
from app.core import actor_names
from app.core.like import ESCAPE, contains
from app.core.types import as_uuid

ACTOR_KINDS = ("staff", "user", "apikey", "system", "anonymous")
# The page of each kind of actor.
ACTOR_PAGES = {"staff": "staff", "user": "customer"}


def _json(view, context, model, name):
    value = getattr(model, name)
    if value is None:
        return ""
    return Markup("<code class='bo-json'>{}</code>").format(
        json.dumps(value, sort_keys=True, ensure_ascii=False))


def _json_export(view, context, model, name):
    value = getattr(model, name)
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _actor_ref(model) -> str | None:
    return f"{model.actor_kind}:{model.actor_id}" if model.actor_id else None


def actor_text(model) -> str:
    """"Alice Martin (finance)"; a system actor by its label ("system:reconciliation")."""
    ref = _actor_ref(model)
    if ref is None:
        return model.actor_label or model.actor_kind
    return actor_names.name(ref)


def _actor(view, context, model, name):
    return link_to(ACTOR_PAGES.get(model.actor_kind), model.actor_id, actor_text(model))


def target_text(model) -> str:
    if not model.target_id:
        return model.target_type
    return f"{model.target_type.replace('_', ' ')} {model.target_id[:8]}"


def _target(view, context, model, name):
    if not model.target_id:
        return model.target_type
    return Markup('<span title="{0}">{1}</span>').format(
        model.target_id, link_to(model.target_type, model.target_id, target_text(model)))


class ActorFilter(BaseSQLAFilter):
    """Entries by whoever's name, email or id contains the text (staff, customers, API
    keys), or whose recorded label does (system actors)."""

    def __init__(self):
        super().__init__(AuditEntry.actor_id, "Actor")

    def clean(self, value):
        return value.strip()

    def apply(self, query, value, alias=None):
        from app.apikeys.models import ApiKey
        from app.staff.models import Staff
        from app.users.models import User

        ident = as_uuid(value)
        if ident is not None:
            return query.filter(AuditEntry.actor_id == ident)
        pattern = contains(value)
        people = [
            select(Staff.id).where(or_(Staff.full_name.ilike(pattern, escape=ESCAPE),
                                       Staff.email.ilike(pattern, escape=ESCAPE))),
            select(User.id).where(or_(User.full_name.ilike(pattern, escape=ESCAPE),
                                      User.email.ilike(pattern, escape=ESCAPE))),
            select(ApiKey.id).where(ApiKey.name.ilike(pattern, escape=ESCAPE)),
        ]
        return query.filter(or_(*(AuditEntry.actor_id.in_(ids) for ids in people),
                                AuditEntry.actor_label.ilike(pattern, escape=ESCAPE)))

    def operation(self):
        return lazy_gettext("contains")


class TargetIdFilter(BaseSQLAFilter):
    def __init__(self):
        super().__init__(AuditEntry.target_id, "Target id")

    def clean(self, value):
        return value.strip()[:64]

    def apply(self, query, value, alias=None):
        return query.filter(AuditEntry.target_id == value)

    def operation(self):
        return lazy_gettext("equals")


def _target_kinds() -> list[tuple[str, str]]:
    kinds = sorted({*DETAIL_ENDPOINTS, "api_key", "bank_transfer", "export", "fraud_review",
                    "fraud_rule", "job", "product", "refund", "refund_request",
                    "saved_filter", "staff", "tax_rate", "webhook_endpoint"})
    return [(k, k.replace("_", " ")) for k in kinds]


class AuditView(SecureModelView):
    roles_read = ALL_ROLES
    roles_write = ()
    can_view_details = True
    export_max_rows = 50_000
    column_type_formatters_detail = SecureModelView.column_type_formatters

    column_list = ("occurred_at", "actor", "action", "target", "before", "after")
    column_details_list = ("id", "occurred_at", "actor", "actor_kind", "actor_id",
                           "actor_label", "action", "target", "target_type", "target_id",
                           "before", "after", "request_id", "client_request_id", "ip", "seq",
                           "prev_hash", "hash")
    column_export_list = ("id", "occurred_at", "actor", "actor_kind", "actor_id",
                          "actor_label", "action", "target_type", "target_id", "before",
                          "after", "request_id", "client_request_id", "ip", "seq",
                          "prev_hash", "hash")
    column_labels = {"occurred_at": "When", "actor_label": "Actor label",
                     "actor_kind": "Actor kind", "ip": "IP", "seq": "Chain position",
                     "hash": "Hash", "prev_hash": "Previous hash"}
    column_formatters = {"before": _json, "after": _json, "actor": _actor, "target": _target}
    column_formatters_detail = column_formatters
    column_formatters_export = {"before": _json_export, "after": _json_export,
                                "actor": lambda v, c, m, n: actor_text(m)}
    column_sortable_list = ("occurred_at", "action")
    column_searchable_list = ("action", "actor_label", "target_id")
    column_filters = (
        ActorFilter(),
        FilterEqual(AuditEntry.actor_kind, "Actor kind",
                    options=[(k, k) for k in ACTOR_KINDS]),
        FilterEqual(AuditEntry.target_type, "Target kind", options=_target_kinds()),
        TargetIdFilter(),
        "action",
        "occurred_at",
    )
    column_default_sort = [("occurred_at", True), ("id", True)]

    def search_placeholder(self) -> str:
        return "Action, actor label or target id"

    def prefetch(self, rows) -> None:
        # One query per kind of actor for the page (or export batch), not one per row.
        actor_names.names([ref for ref in map(_actor_ref, rows) if ref])
