"""Staff accounts (admins only): create and edit through app.staff.service; no delete,
deactivate instead, which also ends the member's sessions."""
from __future__ import annotations

from flask_admin.actions import action

from admin.forms import StaffCreateForm, StaffEditForm
from admin.security import SecureModelView, actor, bulk, run
from app.staff import mfa_links, service as staff_service


class StaffView(SecureModelView):
    roles_read = ("admin",)
    roles_write = ("admin",)
    allow_create = True
    allow_edit = True

    column_list = ("email", "full_name", "role", "is_active", "totp_confirmed_at",
                   "last_login_at", "created_at")
    column_labels = {"totp_confirmed_at": "2FA since", "is_active": "Active"}
    # The page actors and targets in the audit log link to; explicit columns: the password
    # hash and the TOTP secret never reach a page.
    can_view_details = True
    column_details_list = ("email", "full_name", "role", "is_active", "timezone",
                           "totp_confirmed_at", "last_login_at", "created_at")
    column_type_formatters_detail = SecureModelView.column_type_formatters
    column_searchable_list = ("email", "full_name")
    column_filters = ("role", "is_active")
    column_default_sort = ("created_at", True)
    form = StaffEditForm

    def get_create_form(self):
        return StaffCreateForm

    def create_model(self, form):
        ok, staff = run(staff_service.create, form.email.data, form.role.data,
                        form.password.data, form.full_name.data or "", actor=actor())
        return staff if ok else False

    def update_model(self, form, model):
        changes = {"full_name": form.full_name.data or "", "role": form.role.data,
                   "is_active": bool(form.is_active.data)}
        ok, _ = run(staff_service.update, model.id, changes, actor=actor())
        return ok

    @action("send_mfa_link", "Email a two-factor set-up link",
            "Email the selected members a one-time link to set up two-factor authentication?")
    def action_send_mfa_link(self, ids):
        bulk(ids, mfa_links.send_link_for, "{} set-up link(s) sent.")
