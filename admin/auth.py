"""Staff sign-in: password, second factor (TOTP), sign-out. Rules live in app.staff.service;
these views only translate forms into service calls and sessions into cookies."""
from __future__ import annotations

from flask import (
    Blueprint, current_app, flash, redirect, render_template, request, session, url_for,
)
from flask_login import login_user, logout_user

from admin.forms import LoginForm, LogoutForm, TotpForm
from admin.security import current_staff, run, safe_next
from app.core.errors import DomainError
from app.core.uow import unit_of_work
from app.core.login_throttle import LoginThrottle, password_hashing
from app.extensions import limiter
from app.staff import service as staff_service

bp = Blueprint("backoffice", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static", static_url_path="/assets")


def _next() -> str:
    return safe_next(request.args.get("next"), url_for("admin.index"))


_login_throttle = LoginThrottle("staff", "/admin/login", lambda: request.form.get("email"),
                                failed=lambda response: response.status_code == 401)


@bp.route("/login", methods=["GET", "POST"])
@_login_throttle.limits
@password_hashing
def login():
    staff = current_staff()
    if staff is not None:
        return redirect(url_for(".second_factor", next=_next()) if staff.mfa_pending
                        else _next())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                staff_session = staff_service.login(
                    form.email.data, form.password.data, ip=request.remote_addr,
                    user_agent=request.user_agent.string)
        except DomainError as exc:
            flash(exc.message, "error")
            return render_template("backoffice/login.html", form=form, next=_next()), 401
        staff = staff_session.staff
        staff.current_session_id = staff_session.id
        staff.mfa_pending = not staff_session.mfa_passed
        # A fresh cookie: nothing from before sign-in (or planted by someone else) survives.
        session.clear()
        login_user(staff)
        if staff.mfa_pending:
            return redirect(url_for(".second_factor", next=_next()))
        _login_throttle.remember_device(staff.email)
        return redirect(_next())
    return render_template("backoffice/login.html", form=form, next=_next())


def totp_enrolment(staff) -> dict:
    """The secret to show while enrolment is unconfirmed. Reloading the page shows the
    same secret, so an authenticator already scanned keeps working."""
    if staff.totp_secret:
        uri = staff_service.totp_uri(staff)
    else:
        with unit_of_work():
            uri = staff_service.begin_totp_enrolment(staff)
    return {"uri": uri, "secret": staff.totp_secret}


def verify_code(staff, code: str) -> bool:
    found = staff_service.load_session(staff.get_id())
    if found is None:
        return False
    ok, _ = run(staff_service.verify_second_factor, found[1], code)
    return ok


@bp.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"], methods=["POST"],
               key_func=lambda: "admin-2fa:" + str(getattr(current_staff(), "id", "")),
               deduct_when=lambda response: response.status_code == 422)
def second_factor():
    staff = current_staff()
    if staff is None:
        return redirect(url_for(".login", next=_next()))
    if not staff.mfa_pending:
        return redirect(_next())
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if verify_code(staff, form.code.data):
            _login_throttle.remember_device(staff.email)
            return redirect(_next())
        status = 422
    enrolment = None if staff.mfa_enabled else totp_enrolment(staff)
    return render_template("backoffice/second_factor.html", form=form, enrolment=enrolment,
                           next=_next(), logout_form=LogoutForm()), status


@bp.route("/logout", methods=["POST"])
def logout():
    # CSRFProtect has checked the token before this runs.
    staff = current_staff()
    if staff is not None:
        found = staff_service.load_session(staff.get_id())
        if found is not None:
            with unit_of_work():
                staff_service.logout(found[1])
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for(".login"))
