"""#13 finding 9 in the back office: a first second factor is set up only through a
one-time link emailed to the staff member (or sent by an admin), never shown to whoever
holds the password; wrong codes are limited per session and address, so a password
holder cannot lock the real member out."""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.events.models import OutboxEvent
from app.extensions import db
from app.staff.models import Staff, StaffMfaLink
from tests.admin.conftest import SECRET, setup_link


@pytest.fixture
def mfa_required(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_MFA_REQUIRED", True)


def _shift(column: str, by: timedelta) -> None:
    """Move a link's time as if minutes had passed."""
    for link in db.session.scalars(select(StaffMfaLink)):
        setattr(link, column, getattr(link, column) + by)
    db.session.commit()


def _wrong(totp: pyotp.TOTP) -> str:
    now = time.time()
    valid = {totp.at(now + 30 * offset) for offset in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(10) if f"{n:06d}" not in valid)


def test_the_password_alone_shows_no_secret_and_the_owner_is_emailed(
        mfa_required, browser, factories, smtp):
    staff = factories.staff("support")
    thief = browser()
    assert thief.login(staff.email).location.startswith("/admin/login/2fa")
    page = thief.get("/admin/login/2fa").get_data(as_text=True)
    assert "We sent a link" in page
    assert "otpauth://" not in page and "totp-secret" not in page and "<form" in page
    # A code typed at the prompt turns nothing on, whatever it is.
    resp = thief.post("/admin/login/2fa", {"code": "123456"}, token_from="/admin/login/2fa")
    assert resp.status_code == 200 and thief.get("/admin/").status_code == 403

    link = setup_link(smtp, staff.email)
    body = smtp.messages[-1].get_body(("plain",)).get_content()
    assert "someone knows your password" in body
    # Reloading the page sends no second email within minutes.
    thief.get("/admin/login/2fa")
    time.sleep(0.3)
    assert len(smtp.messages) == 1

    # The token is nowhere at rest: only its SHA-256, and the outbox names the link row.
    token = link.rsplit("/", 1)[1]
    row = db.session.scalars(select(StaffMfaLink)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    payloads = [str(e.payload) for e in db.session.scalars(select(OutboxEvent))]
    assert payloads and not [p for p in payloads if token in p]
    # The thief, holding the password but not the email, cannot open it: the link is not
    # guessable, and an invented one is refused.
    assert thief.get("/admin/2fa/setup/" + "A" * 43).status_code == 404


def test_the_link_needs_the_password_and_works_once(mfa_required, browser, factories, smtp):
    staff = factories.staff("finance")
    first = browser()
    first.login(staff.email)
    first.get("/admin/login/2fa")
    link = setup_link(smtp, staff.email)

    # Opened in a browser that is not signed in: the password first, then straight back.
    phone = browser()
    resp = phone.get(link)
    assert resp.status_code == 302 and resp.location.startswith("/admin/login")
    assert "totp-secret" not in resp.get_data(as_text=True)
    resp = phone.login(staff.email, next=link)
    assert resp.status_code == 302
    resp = phone.get(resp.location)
    assert resp.status_code == 302 and resp.location == link
    secret = SECRET.search(phone.get(link).get_data(as_text=True)).group(1)
    totp = pyotp.TOTP(secret)
    assert phone.post(link, {"code": totp.now()}).status_code == 302
    assert phone.get("/admin/").status_code == 200
    assert db.session.get(Staff, staff.id).totp_confirmed_at is not None

    # Used: it shows nothing any more.
    again = phone.get(link)
    assert again.status_code == 404 and "totp-secret" not in again.get_data(as_text=True)
    actions = [e.action for e in db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.occurred_at))]
    assert "staff.mfa_link_requested" in actions and "staff.mfa_enrolled" in actions


def test_an_expired_link_or_another_members_session_is_refused(
        mfa_required, browser, factories, smtp):
    staff = factories.staff("support")
    other = factories.staff("support")
    bo = browser()
    bo.login(staff.email)
    bo.get("/admin/login/2fa")
    link = setup_link(smtp, staff.email)

    intruder = browser()
    intruder.login(other.email)
    resp = intruder.get(link)
    assert resp.status_code == 403 and "totp-secret" not in resp.get_data(as_text=True)

    _shift("expires_at", timedelta(minutes=-31))
    assert bo.get(link).status_code == 404


def test_a_newer_link_replaces_the_older(browser, factories, smtp):
    staff = factories.staff("admin")
    bo = browser()
    bo.login(staff.email)
    assert bo.post("/admin/account/2fa").status_code == 302
    old = setup_link(smtp, staff.email)
    # Five minutes later the member asks again.
    _shift("requested_at", timedelta(minutes=-6))
    assert bo.post("/admin/account/2fa").status_code == 302
    new = setup_link(smtp, staff.email, 2)
    assert new != old
    assert bo.get(old).status_code == 404
    assert bo.get(new).status_code == 200


def test_an_admin_sends_a_member_the_link(browser, factories, smtp, login_as):
    admin, by = login_as("admin")
    member = factories.staff("support")
    resp = admin.action("/admin/staff/", "send_mfa_link", [member.id])
    assert resp.status_code == 302
    link = setup_link(smtp, member.email)
    assert f"An administrator ({by.email})" in smtp.messages[-1].get_body(("plain",)).get_content()
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "staff.mfa_link_requested")).one()
    assert entry.actor_kind == "staff" and entry.target_id == str(member.id)
    assert entry.actor_label != member.email
    # The admin cannot use it: it is the member's, with the member's password.
    assert admin.get(link).status_code == 403
    bo = browser()
    bo.login(member.email)
    assert bo.get(link).status_code == 200


@pytest.fixture
def enrolled_member(browser, factories, enrol):
    staff = factories.staff("admin")
    device = browser()
    device.login(staff.email)
    totp = enrol(device, staff)  # this browser now holds the member's device cookie
    return staff, totp, device


def test_a_password_holder_guessing_codes_cannot_lock_the_member_out(
        app, browser, enrolled_member, monkeypatch):
    staff, totp, device = enrolled_member
    monkeypatch.setitem(app.config, "MFA_RATE_LIMIT_STAFF", "8 per 15 minutes")
    thief = browser()
    thief.login(staff.email)
    for _ in range(5):
        assert thief.post("/admin/login/2fa", {"code": _wrong(totp)}).status_code == 422
    # The session is spent (LOGIN_RATE_LIMIT_ACCOUNT per session)...
    assert thief.post("/admin/login/2fa", {"code": _wrong(totp)}).status_code == 429
    # ...so the thief signs in again for a new session, until the member's ceiling.
    thief2 = browser()
    thief2.login(staff.email)
    statuses = [thief2.post("/admin/login/2fa", {"code": _wrong(totp)}).status_code
                for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert thief2.post("/admin/login/2fa", {"code": totp.at(time.time() + 30)}).status_code == 429

    # The member, on the device they signed in on before, is not held by any of it.
    device.logout()
    assert device.login(staff.email).location.startswith("/admin/login/2fa")
    resp = device.post("/admin/login/2fa", {"code": totp.at(time.time() + 30)})
    assert resp.status_code == 302
    assert device.get("/admin/").status_code == 200
