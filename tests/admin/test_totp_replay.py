"""#13 findings 8-9 in the back office: a TOTP code is accepted once (its time step is
stored); failed staff logins and wrong or replayed codes are audited."""
import pyotp
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.staff.models import Staff


@pytest.fixture
def enrolled(browser, factories, enrol):
    staff = factories.staff("admin")
    bo = browser()
    bo.login(staff.email)
    totp = enrol(bo, staff)
    # The code just used to turn two-factor on, seen over the member's shoulder.
    return staff, totp, totp.now()


def _actions():
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEntry)
                                                 .order_by(AuditEntry.occurred_at))]


def test_a_code_is_accepted_once(browser, enrolled):
    staff, totp, used = enrolled
    thief = browser()
    assert thief.login(staff.email).location.startswith("/admin/login/2fa")
    # The code the staff member just typed, seen over their shoulder: refused.
    assert thief.post("/admin/login/2fa", {"code": used}).status_code == 422
    assert thief.get("/admin/").status_code == 403
    assert "staff.mfa_failed" in _actions()
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "staff.mfa_failed")).one()
    assert entry.after == {"reason": "reused_code"} and entry.target_id == str(staff.id)
    assert db.session.get(Staff, staff.id).totp_last_step is not None


def test_failed_staff_logins_are_audited(browser, factories):
    staff = factories.staff("support")
    assert browser().login(staff.email, "not the password at all").status_code == 401
    assert browser().login("nobody@example.com", "not the password at all").status_code == 401
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "staff.login_failed").order_by(AuditEntry.occurred_at)).all()
    assert [e.after["reason"] for e in entries] == ["wrong_password", "no_account"]
    assert entries[0].target_id == str(staff.id) and entries[0].ip == "127.0.0.1"
