"""The fraud review queue: every staff member reads it; admins and support decide with a
reason (approved, rejected as fraud, rejected for another reason). A rejection cancels
the order and refunds what was taken, through app.fraud.reviews. New reviews arrive live
(Socket.IO "fraud_review", admin/static/live.js)."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from admin.security import ALL_ROLES, SecureModelView, actor, run
from admin.views.payments import _link
from app.core.types import as_uuid
from app.fraud import checks, reviews
from app.fraud.models import REVIEW_STATUSES, FraudReview

DECIDERS = ("admin", "support")

_DECISION = Markup(
    '<form method="post" action="{action}" class="form-inline bo-decision">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<input type="text" name="reason" maxlength="500" required '
    'class="form-control form-control-sm mr-1" placeholder="Reason (required)">'
    '<button type="submit" name="decision" value="approved" class="btn btn-sm btn-success mr-1" '
    'id="approve-{id}">Approve</button>'
    '<button type="submit" name="decision" value="rejected_fraud" '
    'class="btn btn-sm btn-danger mr-1" id="reject-fraud-{id}">Fraud</button>'
    '<button type="submit" name="decision" value="rejected_other" '
    'class="btn btn-sm btn-outline-danger" id="reject-other-{id}">Reject (other)</button></form>')

_CSS = {"open": "warning", "approved": "success", "rejected_fraud": "danger",
        "rejected_other": "secondary"}


def _status(view, context, model, name):
    return Markup('<span class="badge badge-{0}">{1}</span>').format(
        _CSS.get(model.status, "secondary"), model.status.replace("_", " "))


def _decide(view, context, model, name):
    if model.status != "open":
        return Markup("{} <span class=\"text-muted\">{}</span>").format(
            model.decided_by_label or "", model.reason or "")
    if not view.can_write():
        return Markup('<span class="text-muted">open</span>')
    return Markup(_DECISION).format(action=view.get_url(".decide_view", review_id=model.id),
                                    token=generate_csrf(), id=model.id)


class FraudReviewsView(SecureModelView):
    roles_read = ALL_ROLES
    roles_write = DECIDERS
    column_list = ("created_at", "order_id", "score", "rule_name", "status", "decision")
    column_labels = {"created_at": "Opened", "order_id": "Order", "rule_name": "Matched",
                     "decision": "Decision"}
    column_formatters = {"status": _status, "decision": _decide,
                         "order_id": _link("bo_orders.details_view")}
    # The matched rule, the reason or who decided; or (search_extra) the order's number or
    # id, or its customer's email or name.
    column_searchable_list = ("rule_name", "reason", "decided_by_label")
    column_export_list = ("created_at", "order_id", "score", "rule_name", "status",
                          "decided_by_label", "reason")
    column_sortable_list = ("created_at", "status", "score")
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = (FilterEqual(FraudReview.status, "Status",
                                  options=[(s, s) for s in REVIEW_STATUSES]),)

    def search_placeholder(self) -> str:
        return "#1042, order id, customer email or name, rule"

    def search_extra(self, term: str) -> list:
        from sqlalchemy import select

        from app import search
        from app.orders.models import Order

        q = search.parse(term)
        conds = []
        if q.ident is not None:
            conds += [FraudReview.id == q.ident, FraudReview.order_id == q.ident]
        if q.number is not None:
            conds.append(FraudReview.order_id.in_(select(Order.id).where(Order.number == q.number)))
        elif q.wordy:
            conds.append(FraudReview.order_id.in_(select(Order.id).where(
                Order.customer_id.in_(search._matching_customers(q)))))
        return conds

    @expose("/<review_id>/decide/", methods=("POST",))
    def decide_view(self, review_id):
        if not self.can_write():
            return self.forbidden()
        if as_uuid(review_id) is None:
            abort(404)
        ok, done = run(reviews.decide, review_id, request.form.get("decision", ""),
                       reason=request.form.get("reason", ""), actor=actor())
        if ok:
            review, calls = done
            checks.execute_refunds(calls)
            flash(f"Review decided: {review.status.replace('_', ' ')}.", "success")
        return redirect(self.get_url(".index_view"))
