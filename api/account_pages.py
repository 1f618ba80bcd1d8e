"""The small pages that verification and reset links open when no web app is configured
(PUBLIC_WEB_URL unset): they complete the action themselves. Verifying takes one click
that POSTs (a GET must not change anything: mail scanners open links); resetting takes
a form. Thin: users.verify_email and users.reset_password do the work."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template, request

from app.core.errors import DomainError
from app.core.uow import unit_of_work
from app.users import service as users

bp = Blueprint("account_pages", __name__, template_folder="templates")


@bp.get("/verify-email")
def verify_email_page():
    return render_template("account/verify_email.html", token=request.args.get("token", ""))


@bp.post("/verify-email")
def verify_email():
    try:
        with unit_of_work():
            users.verify_email(request.form.get("token", ""))
    except DomainError as exc:
        return render_template("account/done.html", ok=False, message=exc.message), exc.status
    return render_template("account/done.html", ok=True,
                           message="Your email address is confirmed. You can close this page.")


@bp.get("/reset-password")
def reset_password_page():
    return render_template("account/reset_password.html", token=request.args.get("token", ""))


@bp.post("/reset-password")
def reset_password():
    token = request.form.get("token", "")
    if not token:  # the form without a link asks for one
        with unit_of_work():
            users.request_password_reset(request.form.get("email", ""))
        return render_template("account/done.html", ok=True, message=(
            "If an account uses this address, a reset link is on its way."))
    if request.form.get("password", "") != request.form.get("confirm", ""):
        return render_template("account/reset_password.html", token=token,
                               error="The two passwords differ."), 422
    try:
        with unit_of_work():
            users.reset_password(token, request.form.get("password", ""))
    except DomainError as exc:
        return render_template("account/reset_password.html", token=token,
                               error=exc.message), exc.status
    return render_template("account/done.html", ok=True, message=(
        "Your password is changed. Sign in with the new one."))


@bp.get("/documents/invoice")
def invoice_document():
    """The PDF an SMS links to: the signed token is the permission."""
    from flask import Response

    from app.invoices import documents
    from app.invoices.notifications import invoice_from_link

    try:
        invoice = invoice_from_link(request.args.get("token", ""))
    except DomainError as exc:
        return render_template("account/done.html", ok=False, message=exc.message), exc.status
    return Response(documents.pdf_bytes(invoice), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{invoice.number}.pdf"',
        "Cache-Control": "private, no-store"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
