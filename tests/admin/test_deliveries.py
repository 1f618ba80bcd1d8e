"""Failed event deliveries: listed with their error and retried from the back office."""
from sqlalchemy import select

from app.events.models import EventDelivery
from app.extensions import db


def test_failed_delivery_is_listed_and_retried(login_as, factories, monkeypatch):
    def smtp_down(evt):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patched:
        patched.setattr("app.users.notifications.send_verification_email", smtp_down)
        factories.user()
    failed = db.session.scalars(select(EventDelivery)).one()
    assert failed.status == "failed"

    bo, _ = login_as("admin")
    html = bo.get("/admin/deliveries/").get_data(as_text=True)
    assert "email.verify" in html and "smtp down" in html
    assert "Failed deliveries" in bo.get("/admin/").get_data(as_text=True)

    resp = bo.action("/admin/deliveries/", "retry", [failed.id])
    assert resp.status_code == 302
    db.session.expire_all()
    retried = db.session.get(EventDelivery, failed.id)
    assert retried.status == "done" and retried.attempts == 2 and retried.last_error is None
    assert "smtp down" not in bo.get("/admin/deliveries/").get_data(as_text=True)


def test_only_admin_may_retry(login_as, factories, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr("app.users.notifications.send_verification_email",
                        lambda evt: 1 / 0)
        factories.user()
    failed = db.session.scalars(select(EventDelivery)).one()
    bo, _ = login_as("support")
    resp = bo.action("/admin/deliveries/", "retry", [failed.id])
    assert resp.status_code == 403
