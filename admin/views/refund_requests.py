"""The refund approval queue (maker-checker): finance or admin staff approve or reject
refunds that need a second pair of eyes; the requester's own requests show no buttons,
and a hand-made POST is refused by app.payments.approvals (and the database). On
approval the refund is made at once, with its credit note. Support reads."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from admin.security import ALL_ROLES, SecureModelView, actor, run
from admin.views.payments import FINANCE_ROLES, _link, _money, _status, execute_refund
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid
from app.invoices.export_cells import Amount
from app.payments import approvals
from app.payments.models import REQUEST_STATUSES, RefundRequest

_DECISION = Markup(
    '<form method="post" action="{action}" class="form-inline bo-decision">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<input type="text" name="note" maxlength="500" class="form-control form-control-sm mr-1" '
    'placeholder="Note (optional)">'
    '<button type="submit" name="decision" value="approve" class="btn btn-sm btn-success mr-1" '
    'id="approve-{id}">Approve</button>'
    '<button type="submit" name="decision" value="reject" class="btn btn-sm btn-outline-danger" '
    'id="reject-{id}">Reject</button></form>')


def _decide(view, context, model, name):
    if model.status != "requested":
        return Markup("{} {}").format(model.decided_by_label or "", model.decision_note or "")
    if not view.can_write():
        return Markup('<span class="text-muted">awaiting approval</span>')
    if model.requested_by == actor().ref:
        return Markup('<span class="text-muted bo-own-request">Your request: another staff '
                      'member decides</span>')
    return Markup(_DECISION).format(action=view.get_url(".decide_view", request_id=model.id),
                                    token=generate_csrf(), id=model.id)


class RefundRequestsView(SecureModelView):
    roles_read = ALL_ROLES
    roles_write = FINANCE_ROLES
    column_list = ("created_at", "payment_id", "amount", "reason", "requested_by_label",
                   "status", "decision")
    column_labels = {"created_at": "Requested", "payment_id": "Payment",
                     "requested_by_label": "Requested by", "decision": "Decision"}
    column_formatters = {"status": _status, "amount": _money("amount"),
                         "payment_id": _link("bo_payments.details_view"), "decision": _decide}
    column_formatters_export = {"amount": lambda v, c, m, n: Amount(m.amount, m.currency)}
    column_export_list = ("created_at", "payment_id", "currency", "amount", "reason",
                          "requested_by_label", "status", "decided_by_label", "decision_note")
    column_sortable_list = ("created_at", "status", "amount")
    column_default_sort = [("created_at", True), ("id", True)]
    column_searchable_list = ("reason", "requested_by_label", "decided_by_label")
    column_filters = (FilterEqual(RefundRequest.status, "Status",
                                  options=[(s, s) for s in REQUEST_STATUSES]),)

    @expose("/<request_id>/decide/", methods=("POST",))
    def decide_view(self, request_id):
        if not self.can_write():
            return self.forbidden()
        if as_uuid(request_id) is None:
            abort(404)
        back = redirect(self.get_url(".index_view"))
        note = (request.form.get("note") or "").strip()
        if len(note) > 500 or not is_clean(note):
            flash(f"Note: {MESSAGE}" if len(note) <= 500 else "Note: at most 500 characters.",
                  "error")
            return back
        decision = request.form.get("decision")
        if decision == "reject":
            ok, _ = run(approvals.reject, request_id, actor=actor(), note=note)
            if ok:
                flash("Refund request rejected.", "success")
            return back
        if decision != "approve":
            abort(400)
        ok, call = run(approvals.approve, request_id, actor=actor(), note=note)
        if ok:
            execute_refund(call)
        return back
