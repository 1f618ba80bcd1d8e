"""Staff accounts in the back office: created and edited through the staff service."""
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.staff.models import Staff
from tests.factories import PASSWORD


def _staff(email):
    db.session.expire_all()
    return db.session.scalars(select(Staff).where(Staff.email == email)).first()


def test_admin_creates_staff_and_it_is_audited(login_as, browser):
    bo, admin = login_as("admin")
    resp = bo.post("/admin/staff/new/", {"email": "New.Agent@Example.com",
                                         "full_name": "New Agent", "role": "support",
                                         "password": PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    created = _staff("new.agent@example.com")
    assert created and created.role == "support" and created.full_name == "New Agent"
    assert created.password_hash != PASSWORD

    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "staff.create", AuditEntry.target_id == str(created.id))).one()
    assert entry.actor_kind == "staff" and entry.actor_id == admin.id
    assert "password" not in (entry.after or {})

    # The new member can sign in with the password the admin set.
    assert browser().login("new.agent@example.com").status_code == 302


def test_service_refusal_is_a_flash_message(login_as):
    bo, _ = login_as("admin")
    resp = bo.post("/admin/staff/new/", {"email": "weak@example.com", "role": "support",
                                         "password": "short"})
    assert resp.status_code == 200
    assert "Password is too short." in resp.get_data(as_text=True)
    assert _staff("weak@example.com") is None


def test_duplicate_email_is_refused(login_as, factories):
    bo, _ = login_as("admin")
    other = factories.staff("support")
    resp = bo.post("/admin/staff/new/", {"email": other.email, "role": "support",
                                         "password": PASSWORD})
    assert resp.status_code == 200
    assert "A staff member with this email exists." in resp.get_data(as_text=True)


def test_admin_edits_role_and_deactivates(login_as, browser, factories):
    bo, _ = login_as("admin")
    member = factories.staff("support")
    member_browser = browser()
    member_browser.login(member.email)
    url = f"/admin/staff/edit/?id={member.id}"

    resp = bo.post(url, {"full_name": "Promoted", "role": "finance", "is_active": "y"})
    assert resp.status_code == 302
    assert _staff(member.email).role == "finance"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "staff.update", AuditEntry.target_id == str(member.id))).one()
    assert entry.before["role"] == "support" and entry.after["role"] == "finance"

    resp = bo.post(url, {"full_name": "Promoted", "role": "finance"})  # unchecked = inactive
    assert resp.status_code == 302
    assert _staff(member.email).is_active is False
    # Deactivation ends the member's sessions at once.
    assert member_browser.get("/admin/").status_code == 302


def test_admin_cannot_deactivate_themselves(login_as):
    bo, admin = login_as("admin")
    resp = bo.post(f"/admin/staff/edit/?id={admin.id}", {"full_name": "Me", "role": "admin"})
    assert "You cannot deactivate your own account." in resp.get_data(as_text=True)
    assert _staff(admin.email).is_active is True


def test_staff_cannot_be_deleted(login_as, factories):
    bo, _ = login_as("admin")
    member = factories.staff("support")
    resp = bo.post("/admin/staff/delete/", {"id": str(member.id)}, token_from="/admin/staff/")
    assert resp.status_code == 403
    assert _staff(member.email) is not None
    assert "delete" not in bo.get("/admin/staff/").get_data(as_text=True).lower().split(
        "with selected")[-1][:200]
