"""The signed-in staff member's own account: password and two-factor set-up."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_admin import expose

from admin.display import timezone_choices
from admin.forms import CleanForm, PasswordChangeForm, PreferencesForm
from admin.security import ALL_ROLES, SecureView, run, signed_in_staff
from app.staff import mfa_links, service as staff_service


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
        # Signed in with the password only (MFA not required here): the secret is shown
        # only through the emailed link, like at sign-in (app.staff.mfa_links).
        staff = signed_in_staff()
        form = CleanForm()
        if not staff.mfa_enabled and form.validate_on_submit():
            ok, sent = run(mfa_links.request_link, staff, actor=staff_service.actor_for(staff))
            if ok:
                flash("We emailed you a link to set up two-factor authentication." if sent
                      else "A link was sent a few minutes ago; check your email.", "info")
            return redirect(url_for(".two_factor"))
        return self.render("backoffice/account_2fa.html", form=form, staff=staff)
