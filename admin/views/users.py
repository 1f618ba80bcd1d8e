"""Customers: look up, the customer 360 page, deactivate, reactivate, resend the
verification email, send a password reset, refund one of the customer's payments (finance
and admins, as on the payment page: above the approval threshold it becomes a request a
second staff member approves). Accounts are created by their owners through the API,
never here.

Finance reads customers too (invoices, payments, lifetime value); only admins and support
act on accounts. Support sees each order's amount (customers ask about their orders) but
not the lifetime value, a revenue figure, as on the dashboard."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from wtforms import HiddenField
from wtforms.validators import DataRequired

from admin.forms import SecureForm
from admin.security import SecureModelView, actor, bulk, run, signed_in_staff
from admin.views.payments import FINANCE_ROLES, refundable_now, start_refund
from app.payments import approvals
from app.payments.models import Payment
from app.core.money import decimal_amount
from app.core.types import as_uuid
from app.extensions import db
from app.fraud import reviews as fraud_reviews
from app.notifications import service as notifications
from app.payments import methods
from app.users import overview, support
from app.users import service as users
from app.users.models import User

SAFE_COLUMNS = ("email", "full_name", "phone", "country", "email_verified_at", "is_active",
                "deactivated_at", "created_at", "updated_at")
MONEY_ROLES = ("admin", "finance")
# Who may refund: the payments' writers (admin/views/payments.py).
REFUND_ROLES = FINANCE_ROLES

# name -> (label, operation, done message, confirm)
ACCOUNT_ACTIONS = {
    "deactivate": ("Deactivate account", support.deactivate,
                   "Account deactivated; signed out everywhere.", True),
    "resend_verification": ("Resend verification email", support.resend_verification,
                            "Verification email on its way.", False),
    "password_reset": ("Send password reset", support.send_password_reset,
                       "Password reset email on its way.", False),
}


class CustomerActionForm(SecureForm):
    id = HiddenField(validators=[DataRequired()])
    act = HiddenField(validators=[DataRequired()])


class CustomersView(SecureModelView):
    roles_read = ("admin", "support", "finance")
    roles_write = ("admin", "support")
    can_view_details = True
    details_template = "backoffice/customer_360.html"

    column_list = ("email", "full_name", "country", "email_verified_at", "is_active",
                   "created_at")
    # Explicit lists: the password hash must never reach a page or an export.
    column_details_list = ("id", *SAFE_COLUMNS)
    column_export_list = ("id", *SAFE_COLUMNS)
    column_labels = {"email_verified_at": "Email verified", "is_active": "Active"}
    column_searchable_list = ("email", "full_name", "phone")
    column_filters = ("is_active", "country", "email_verified_at", "created_at")
    column_default_sort = ("created_at", True)

    def details_extras(self, user: User) -> dict:
        staff = signed_in_staff()
        extras = overview.overview(user.id)
        # Masked only (brand, last 4, expiry): the card number never reaches us.
        extras["payment_methods"] = methods.listed_for(user.id)
        extras["notifications"] = notifications.for_user(user.id)
        extras["fraud_history"] = fraud_reviews.history_for_customer(user.id)
        extras["sees_money"] = staff is not None and staff.role in MONEY_ROLES
        extras["refundable"] = {p.id for p in extras["payments"] if refundable_now(p)} \
            if self.may_refund() else set()
        extras["threshold"] = approvals.threshold_for
        extras["plain_amount"] = decimal_amount
        extras["actions"] = [(name, label, confirm)
                             for name, (label, _op, _done, confirm) in ACCOUNT_ACTIONS.items()
                             if self.can_write()
                             and not (name == "deactivate" and not user.is_active)
                             and not (name == "resend_verification" and user.email_verified_at)]
        return extras

    @expose("/account-action/", methods=("POST",))
    def account_action_view(self):
        if not self.can_write():
            return self.forbidden()
        form = CustomerActionForm()
        ident = as_uuid(form.id.data)
        if not form.validate_on_submit() or ident is None or form.act.data not in ACCOUNT_ACTIONS:
            abort(400)
        if db.session.get(User, ident) is None:
            abort(404)
        _label, operation, done, _confirm = ACCOUNT_ACTIONS[form.act.data]
        ok, _ = run(operation, ident, actor=actor())
        if ok:
            flash(done, "success")
        return redirect(self.get_url(".details_view", id=ident))

    def may_refund(self) -> bool:
        staff = signed_in_staff()
        return staff is not None and staff.role in REFUND_ROLES

    @expose("/refund/", methods=("POST",))
    def refund_view(self):
        """Refund one of this customer's payments from their page; back to the page."""
        if not self.may_refund():
            return self.forbidden()
        customer_id = as_uuid(request.form.get("id"))
        payment_id = as_uuid(request.form.get("payment_id"))
        payment = db.session.get(Payment, payment_id) if payment_id else None
        if customer_id is None or payment is None or payment.customer_id != customer_id:
            abort(404)
        start_refund(payment)
        return redirect(self.get_url(".details_view", id=customer_id) + "#customer-payments")

    @action("deactivate", "Deactivate",
            "Deactivate the selected accounts? They are signed out everywhere at once.")
    def action_deactivate(self, ids):
        bulk(ids, users.deactivate, "{} account(s) deactivated.")

    @action("reactivate", "Reactivate", "Reactivate the selected accounts?")
    def action_reactivate(self, ids):
        bulk(ids, users.reactivate, "{} account(s) reactivated.")
