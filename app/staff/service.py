"""Back-office accounts: creation, login with optional TOTP, sessions, roles."""
from __future__ import annotations

import hmac
import time
import uuid

import pyotp
from flask import current_app
# Aliased: this module's own update() (staff changes) would shadow it.
from sqlalchemy import or_, select, update as sql_update

from app.audit import service as audit
from app.core import passwords
from app.core.actor import Actor
from app.core.lookup import get_or_not_found
from app.core.emails import normalise_email
from app.core.errors import AuthenticationFailed, Conflict, InvalidInput
from app.core.types import utcnow
from app.extensions import db
from app.staff.models import ROLES, Staff, StaffSession

TOTP_ISSUER = "NextGen Market"


def actor_for(staff: Staff) -> Actor:
    return Actor(kind="staff", id=staff.id, label=staff.email, role=staff.role)


def get(staff_id) -> Staff:
    return get_or_not_found(Staff, staff_id, "Staff member not found.")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput("Unknown role.", errors={"role": [f"One of {', '.join(ROLES)}."]})


def create(email: str, role: str, password: str, full_name: str = "", *, actor: Actor) -> Staff:
    email = normalise_email(email)
    _check_role(role)
    passwords.validate(password, email=email, name=full_name)
    if db.session.scalars(select(Staff.id).where(Staff.email == email)).first():
        raise Conflict("A staff member with this email exists.", errors={"email": ["Taken."]})
    staff = Staff(id=uuid.uuid4(), email=email, role=role, is_active=True,
                  full_name=full_name.strip(), password_hash=passwords.hash_password(password))
    db.session.add(staff)
    audit.record(actor, "staff.create", "staff", staff.id, after=staff.public())
    db.session.flush()
    return staff


def update(staff_id, changes: dict, *, actor: Actor) -> Staff:
    staff = get(staff_id)
    before = staff.public()
    if "role" in changes:
        _check_role(changes["role"])
        staff.role = changes["role"]
    if "full_name" in changes:
        staff.full_name = (changes["full_name"] or "").strip()
    if "is_active" in changes:
        if actor.id == staff.id and not changes["is_active"]:
            raise Conflict("You cannot deactivate your own account.")
        staff.is_active = bool(changes["is_active"])
        if not staff.is_active:
            _revoke_sessions(staff.id)
    old, new = audit.changed(before, staff.public())
    if new:
        audit.record(actor, "staff.update", "staff", staff.id, before=old, after=new)
    db.session.flush()
    return staff


def mfa_required(staff: Staff) -> bool:
    return bool(current_app.config["STAFF_MFA_REQUIRED"]) or staff.mfa_enabled


def login(email: str, password: str, *, ip: str | None = None, user_agent: str | None = None
          ) -> StaffSession:
    """First factor. The returned session has mfa_passed=False when a second factor applies."""
    try:
        email = normalise_email(email)
    except InvalidInput:
        email = ""
    staff = db.session.scalars(select(Staff).where(Staff.email == email)).first()
    ok = passwords.verify_password(staff.password_hash if staff else None, password or "")
    if not staff or not ok or not staff.is_active:
        audit.record_failure(Actor.anonymous(), "staff.login_failed", "staff",
                             staff.id if staff else None,
                             after={"email": email or "(not an email address)",
                                    "reason": "no_account" if not staff else (
                                        "deactivated" if ok else "wrong_password")})
        raise AuthenticationFailed("Invalid email or password.")
    session = StaffSession(id=uuid.uuid4(), staff_id=staff.id, mfa_passed=not mfa_required(staff),
                           ip=ip, user_agent=(user_agent or "")[:255])
    db.session.add(session)
    if session.mfa_passed:
        staff.last_login_at = utcnow()
        audit.record(actor_for(staff), "staff.login", "staff", staff.id)
    db.session.flush()
    return session


def load_session(session_id: str) -> tuple[Staff, StaffSession] | None:
    try:
        sid = uuid.UUID(session_id)
    except (ValueError, TypeError):
        return None
    session = db.session.get(StaffSession, sid)
    if session is None or session.revoked_at is not None or not session.staff.is_active:
        return None
    return session.staff, session


def totp_uri(staff: Staff) -> str:
    """The otpauth:// URI of the current (possibly unconfirmed) secret, for the QR code."""
    # pyotp >= 2.10 takes name and issuer as keywords only.
    return pyotp.TOTP(staff.totp_secret).provisioning_uri(name=staff.email,
                                                          issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str | None) -> int | None:
    """The time step (now, or one either side for clock drift) whose code this is."""
    totp = pyotp.TOTP(secret)
    code = (code or "").replace(" ", "")
    if len(code) != totp.digits or not code.isdigit():
        return None
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_code(staff: Staff, code: str) -> None:
    """A TOTP code of ``staff``'s secret, used once: its time step must come after the last
    accepted one. A wrong or replayed code is audited (in its own transaction) and refused."""
    step = _matching_step(staff.totp_secret, code)
    reused = step is not None and staff.totp_last_step is not None and step <= staff.totp_last_step
    if step is None or reused:
        audit.record_failure(actor_for(staff), "staff.mfa_failed", "staff", staff.id,
                             after={"reason": "reused_code" if reused else "wrong_code"})
        raise InvalidInput("Invalid code.", errors={"code": ["Invalid or expired code."]})
    # Claimed by a guarded UPDATE: two requests racing with one code cannot both pass.
    claimed = db.session.execute(
        sql_update(Staff).where(Staff.id == staff.id, or_(Staff.totp_last_step.is_(None),
                                                          Staff.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise InvalidInput("Invalid code.", errors={"code": ["Invalid or expired code."]})
    staff.totp_last_step = step


def verify_second_factor(session: StaffSession, code: str) -> None:
    """Check a TOTP code of a set-up second factor and mark the session passed. A secret
    not yet confirmed counts for nothing here: it is confirmed only through the emailed
    link (app.staff.mfa_links), never with the password alone."""
    staff = session.staff
    if not staff.totp_secret or not staff.mfa_enabled:
        raise Conflict("Two-factor authentication is not set up.")
    accept_code(staff, code)
    session.mfa_passed = True
    staff.last_login_at = utcnow()
    audit.record(actor_for(staff), "staff.login", "staff", staff.id)
    db.session.flush()


def logout(session: StaffSession) -> None:
    session.revoked_at = utcnow()
    audit.record(actor_for(session.staff), "staff.logout", "staff", session.staff_id)
    db.session.flush()


def change_password(staff: Staff, current_password: str, new_password: str, *,
                    keep_session_id: uuid.UUID | None = None) -> None:
    """Every other session of this account ends; the current one may be kept."""
    if not passwords.verify_password(staff.password_hash, current_password or ""):
        raise InvalidInput("Current password is wrong.",
                           errors={"current_password": ["Does not match."]})
    passwords.validate(new_password, email=staff.email, name=staff.full_name or "")
    staff.password_hash = passwords.hash_password(new_password)
    _revoke_sessions(staff.id, except_id=keep_session_id)
    audit.record(actor_for(staff), "staff.password_change", "staff", staff.id)
    db.session.flush()


def _revoke_sessions(staff_id: uuid.UUID, except_id: uuid.UUID | None = None) -> None:
    stmt = sql_update(StaffSession).where(StaffSession.staff_id == staff_id,
                                          StaffSession.revoked_at.is_(None))
    if except_id is not None:
        stmt = stmt.where(StaffSession.id != except_id)
    db.session.execute(stmt.values(revoked_at=utcnow()))


def set_timezone(staff_id, name: str, *, actor: Actor) -> Staff:
    """The zone the back office shows this member's times in (an IANA name)."""
    from zoneinfo import available_timezones

    if name not in available_timezones():
        raise InvalidInput("Unknown time zone.", errors={"timezone": ["Unknown time zone."]})
    staff = get(staff_id)
    before = staff.timezone
    staff.timezone = name
    audit.record(actor, "staff.timezone", "staff", staff.id, before={"timezone": before},
                 after={"timezone": name})
    db.session.flush()
    return staff
