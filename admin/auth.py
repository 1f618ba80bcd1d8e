"""Staff sign-in: password, second factor (TOTP), sign-out. Rules live in app.staff.service;
these views only translate forms into service calls and sessions into cookies."""
from __future__ import annotations

from flask import (
    Blueprint, current_app, flash, redirect, render_template, request, session, url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user

from admin.forms import LoginForm, LogoutForm, TotpForm
from admin.security import current_staff, run, safe_next
from app.core.errors import DomainError
from app.core.uow import unit_of_work
from app.core.login_throttle import LoginThrottle, password_hashing
from app.extensions import limiter
from app.staff import mfa_links, service as staff_service

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


def _session_of(staff):
    found = staff_service.load_session(staff.get_id())
    return found[1] if found is not None else None


def verify_code(staff, code: str) -> bool:
    session_row = _session_of(staff)
    if session_row is None:
        return False
    ok, _ = run(staff_service.verify_second_factor, session_row, code)
    return ok


# Wrong codes are counted per session and per address (LOGIN_RATE_LIMIT_ACCOUNT /
# LOGIN_RATE_LIMIT_IP), and per staff member under a higher ceiling
# (MFA_RATE_LIMIT_STAFF) that a known device of the member does not count against: a
# password holder guessing codes runs out in their own session and address, and cannot
# lock the real member out of the devices they use.
_mfa_device = LoginThrottle("staff", "/admin/login",
                            lambda: getattr(current_staff(), "email", None),
                            failed=lambda response: response.status_code == 422)


def _staff_attr(name: str) -> str:
    return str(getattr(current_staff(), name, ""))


def _code_limits(view):
    common = {"methods": ["POST"], "deduct_when": lambda response: response.status_code == 422}
    per_session = limiter.limit(
        lambda: current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"],
        key_func=lambda: f"admin-2fa-session:{_staff_attr('current_session_id')}",
        **common)
    per_ip = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"],
                           key_func=lambda: f"admin-2fa-ip:{get_remote_address()}", **common)
    per_staff = limiter.limit(lambda: current_app.config["MFA_RATE_LIMIT_STAFF"],
                              key_func=lambda: f"admin-2fa-staff:{_staff_attr('id')}",
                              exempt_when=_mfa_device.known_device, **common)
    return per_session(per_ip(per_staff(view)))


@bp.route("/login/2fa", methods=["GET", "POST"])
@_code_limits
def second_factor():
    staff = current_staff()
    if staff is None:
        return redirect(url_for(".login", next=_next()))
    if not staff.mfa_pending:
        return redirect(_next())
    if not staff.mfa_enabled:
        # No second factor yet: the password alone shows no secret. The set-up link goes
        # to the member's email; opened in this browser, it continues from here.
        if _next().startswith(mfa_links.PATH):
            return redirect(_next())
        run(mfa_links.request_link, staff, actor=staff_service.actor_for(staff))
        return render_template("backoffice/second_factor_link.html", staff=staff,
                               logout_form=LogoutForm())
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if verify_code(staff, form.code.data):
            _login_throttle.remember_device(staff.email)
            return redirect(_next())
        status = 422
    return render_template("backoffice/second_factor.html", form=form, next=_next(),
                           logout_form=LogoutForm()), status


@bp.route("/2fa/setup/<token>", methods=["GET", "POST"])
@_code_limits
def mfa_setup(token):
    """The emailed link: shows the secret and takes the first code, for the staff member
    it was sent to once signed in with their password (the link alone is not enough)."""
    link = mfa_links.find_open(token)
    if link is None:
        return render_template("backoffice/mfa_link_invalid.html"), 404
    staff = current_staff()
    if staff is None:
        flash("Sign in with your password to set up two-factor authentication.", "info")
        return redirect(url_for(".login", next=request.path))
    if staff.id != link.staff_id:
        return render_template("backoffice/mfa_link_invalid.html", other_account=True,
                               logout_form=LogoutForm()), 403
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        session_row = _session_of(staff)
        ok = session_row is not None and run(mfa_links.confirm, link, session_row,
                                             form.code.data)[0]
        if ok:
            _login_throttle.remember_device(staff.email)
            flash("Two-factor authentication is on.", "success")
            return redirect(url_for("admin.index"))
        status = 422
    enrolment = {"uri": staff_service.totp_uri(staff), "secret": staff.totp_secret}
    return render_template("backoffice/mfa_setup.html", form=form, enrolment=enrolment,
                           token=token, logout_form=LogoutForm()), status


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
