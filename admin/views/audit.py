"""The audit log: read-only for every staff role, newest first, filterable, exportable.
Nothing here can change an entry (and the ORM and a PostgreSQL trigger refuse anyway)."""
from __future__ import annotations

import json

from markupsafe import Markup

from admin.security import ALL_ROLES, SecureModelView


def _json(view, context, model, name):
    value = getattr(model, name)
    if value is None:
        return ""
    return Markup("<code class='bo-json'>{}</code>").format(
        json.dumps(value, sort_keys=True, ensure_ascii=False))


def _json_export(view, context, model, name):
    value = getattr(model, name)
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


class AuditView(SecureModelView):
    roles_read = ALL_ROLES
    roles_write = ()
    can_view_details = True
    export_max_rows = 50_000

    column_list = ("occurred_at", "actor_label", "actor_kind", "action", "target_type",
                   "target_id", "before", "after")
    column_details_list = ("id", "occurred_at", "actor_kind", "actor_id", "actor_label",
                           "action", "target_type", "target_id", "before", "after",
                           "request_id", "client_request_id", "ip", "seq", "prev_hash", "hash")
    column_export_list = column_details_list
    column_labels = {"actor_label": "Actor", "actor_kind": "Actor kind", "ip": "IP",
                     "seq": "Chain position", "hash": "Hash", "prev_hash": "Previous hash"}
    column_formatters = {"before": _json, "after": _json}
    column_formatters_export = {"before": _json_export, "after": _json_export}
    column_searchable_list = ("action", "actor_label", "target_id")
    column_filters = ("action", "actor_label", "actor_kind", "target_type", "target_id",
                      "occurred_at")
    column_default_sort = ("occurred_at", True)
