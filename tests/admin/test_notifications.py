"""Notifications in the back office: the log with filters and the rendered message
(secrets hidden), resend (CSRF POST, audited), template previews, per customer."""
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.uow import unit_of_work
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.service import Recipient, notify

REFUND = {"name": "Ada <b>", "order_label": "#1042", "invoice_number": None, "amount": "12.00 EUR"}


def _refund_notice(user_id=None, key="k1", email="ada@example.com"):
    with unit_of_work():
        [row] = notify(Recipient(email=email, user_id=user_id), "refund_issued", REFUND,
                       dedupe_key=key)
    return row


def test_the_log_filters_shows_the_message_and_resends_audited(login_as, factories, smtp):
    customer = factories.user()  # its verification email is in the log too
    row = _refund_notice(customer.id)
    _refund_notice(key="other", email="someone@example.com")
    bo, _ = login_as("support")
    listed = bo.get("/admin/notifications/").get_data(as_text=True)
    assert "refund_issued" in listed and "email_verification" in listed
    mine = bo.get(f"/admin/notifications/?customer={customer.id}").get_data(as_text=True)
    assert "someone@example.com" not in mine and "Refund for your order #1042" in mine
    view = next(v for v in bo.client.application.extensions["admin"][0]._views  # noqa: SLF001
                if getattr(v, "endpoint", "") == "bo_notifications")
    index = next(i for i, f in enumerate(view._filters)  # noqa: SLF001
                 if str(f.name) == "Status" and str(f.operation()) == "equals")
    failed_only = bo.get(f"/admin/notifications/?flt0_{index}=failed").get_data(as_text=True)
    assert "Refund for your order" not in failed_only

    details = bo.get(f"/admin/notifications/details/?id={row.id}").get_data(as_text=True)
    assert "Refund for your order #1042" in details and "Hello Ada &lt;b&gt;," in details
    assert 'sandbox=""' in details  # the HTML runs no script in the back office
    verification = db.session.scalars(select(Notification).where(
        Notification.template == "email_verification")).one()
    shown = bo.get(f"/admin/notifications/details/?id={verification.id}").get_data(as_text=True)
    from app.users import service as users

    assert "[hidden]" in shown and users.verification_token(customer).rsplit(".", 2)[0] not in shown

    resp = bo.post("/admin/notifications/resend/", {"id": str(row.id)},
                   token_from=f"/admin/notifications/details/?id={row.id}")
    assert resp.status_code == 302
    assert len([m for m in smtp.wait_for(3) if "Refund" in m["Subject"]]) == 3
    db.session.expire_all()
    assert db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action == "notification.resend")).all() == ["notification.resend"]
    # Without the CSRF token: refused, nothing queued.
    count = db.session.query(Notification).count()
    assert bo.client.post("/admin/notifications/resend/", data={"id": str(row.id)}).status_code == 400
    assert db.session.query(Notification).count() == count


def test_every_template_previews_with_sample_data_in_each_language(login_as):
    from app.notifications.templates import LOCALES, TEMPLATES

    bo, _ = login_as("support")
    for name in TEMPLATES:
        for locale in LOCALES:
            resp = bo.get(f"/admin/notifications/preview/?template={name}&locale={locale}")
            assert resp.status_code == 200, (name, locale)
    german = bo.get("/admin/notifications/preview/?template=order_confirmation&locale=de")
    assert "Ihre Bestellung #1042 ist bestätigt" in german.get_data(as_text=True)
    assert bo.get("/admin/notifications/preview/?template=nope").status_code == 404


def test_finance_may_not_read_notifications(login_as):
    bo, _ = login_as("finance")
    assert bo.get("/admin/notifications/").status_code == 403


def test_the_customer_section_renders_for_inclusion(app, factories, smtp):
    from flask import render_template

    from app.notifications.service import for_user

    customer = factories.user()
    _refund_notice(customer.id)
    with app.test_request_context("/admin/"):
        html = render_template("backoffice/_customer_notifications.html",
                               notifications=for_user(customer.id), customer_id=customer.id)
    assert "Refund for your order #1042" in html and "Confirm your email address" in html
    assert f"customer={customer.id}" in html
