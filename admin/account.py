"""The signed-in staff member's own account: password and two-factor set-up."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_admin import expose

from admin.auth import totp_enrolment, verify_code
from admin.display import timezone_choices
from admin.forms import PasswordChangeForm, PreferencesForm, TotpForm
from admin.security import ALL_ROLES, SecureView, run, signed_in_staff
from app.staff import service as staff_service


class AccountView(SecureView):
    roles_read = ALL_ROLES

    def is_visible(self) -> bool:
        return False  # reached from the user menu, not the main menu

    @expose("/")
    def index(self):
        return redirect(url_for(".password"))

    @expose("/password", methods=("GET", "POST"))
    def password(self):
        staff = signed_in_staff()
        form = PasswordChangeForm()
        if form.validate_on_submit():
            ok, _ = run(staff_service.change_password, staff, form.current_password.data,
                        form.new_password.data, keep_session_id=staff.current_session_id)
            if ok:
                flash("Password changed. Every other session of your account has ended.",
                      "success")
                return redirect(url_for(".password"))
        return self.render("backoffice/account_password.html", form=form)

    @expose("/preferences", methods=("GET", "POST"))
    def preferences(self):
        staff = signed_in_staff()
        form = PreferencesForm(timezone=staff.timezone)
        form.timezone.choices = timezone_choices()
        if form.validate_on_submit():
            ok, _ = run(staff_service.set_timezone, staff.id, form.timezone.data,
                        actor=staff_service.actor_for(staff))
            if ok:
                flash(f"Times are now shown in {form.timezone.data}.", "success")
                return redirect(url_for(".preferences"))
        return self.render("backoffice/account_preferences.html", form=form)

    @expose("/2fa", methods=("GET", "POST"))
    def two_factor(self):
        staff = signed_in_staff()
        form = TotpForm()
        if not staff.mfa_enabled and form.validate_on_submit():
            if verify_code(staff, form.code.data):
                flash("Two-factor authentication is on.", "success")
                return redirect(url_for(".two_factor"))
        enrolment = None if staff.mfa_enabled else totp_enrolment(staff)
        return self.render("backoffice/account_2fa.html", form=form, enrolment=enrolment,
                           staff=staff)
