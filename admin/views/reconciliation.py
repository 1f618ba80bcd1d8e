"""The reconciliation report (finance and admins, read-only): what the gateways hold
that differs from our payments and refunds, with the difference named, and what the
job healed. Rows are written only by app.payments.reconciliation."""
from __future__ import annotations

from markupsafe import Markup

from admin.security import SecureModelView
from admin.views.invoices import FINANCE_ROLES

ISSUE_CSS = {"healed_missed_webhook": "success", "amount_mismatch": "danger",
             "currency_mismatch": "danger", "status_mismatch": "warning",
             "unknown_payment": "danger", "unknown_refund": "danger"}


def _issue(view, context, model, name):
    return Markup('<span class="badge badge-{0}">{1}</span>').format(
        ISSUE_CSS.get(model.issue, "secondary"), model.issue.replace("_", " "))


class ReconciliationView(SecureModelView):
    roles_read = FINANCE_ROLES
    roles_write = ()
    can_view_details = True

    column_list = ("last_seen_at", "gateway", "kind", "issue", "gateway_object_id", "ours",
                   "theirs", "detail", "times_seen", "payment_id")
    column_details_list = ("id", "gateway", "kind", "issue", "gateway_object_id", "payment_id",
                           "refund_id", "ours", "theirs", "detail", "first_seen_at",
                           "last_seen_at", "times_seen")
    column_export_list = column_details_list
    column_labels = {"gateway_object_id": "Gateway id", "ours": "Ours", "theirs": "Gateway's",
                     "times_seen": "Runs", "payment_id": "Payment"}
    column_formatters = {"issue": _issue}
    column_searchable_list = ("gateway_object_id", "detail")
    column_filters = ("gateway", "kind", "issue", "last_seen_at")
    column_default_sort = ("last_seen_at", True)
