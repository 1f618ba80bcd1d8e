"""A first second factor is set up only through a one-time link emailed to the staff
member (asked for by the member once signed in with the password, or by an admin): the
password alone never shows an enrolment secret, so whoever learns a password cannot
enrol their own authenticator.

A link is single use, expires (``STAFF_MFA_LINK_TTL``), is replaced by a newer one, and is
kept only as a SHA-256 of its token. The token is made by the job that sends the email, so
it is never stored anywhere, the outbox included. Opening it also needs the password:
the page asks whoever opens it to be signed in as that staff member.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
from flask import current_app
from sqlalchemy import select, update

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput
from app.core.types import utcnow
from app.events.service import publish
from app.extensions import db
from app.staff import service as staff_service
from app.staff.models import Staff, StaffMfaLink, StaffSession

# A member (or an attacker with the password) asking again within this gets no new email.
RESEND_AFTER = timedelta(minutes=5)
PATH = "/admin/2fa/setup/"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_link(staff: Staff, *, actor: Actor) -> bool:
    """Ask for a set-up link to be emailed to ``staff``. False when one was asked for
    within ``RESEND_AFTER`` and is still open (no second email)."""
    if staff.mfa_enabled:
        raise Conflict("Two-factor authentication is already set up.")
    now = utcnow()
    recent = db.session.scalars(select(StaffMfaLink.id).where(
        StaffMfaLink.staff_id == staff.id, StaffMfaLink.closed_at.is_(None),
        StaffMfaLink.requested_at > now - RESEND_AFTER)).first()
    if recent is not None:
        return False
    # One open link at a time: a newer one replaces the older.
    db.session.execute(update(StaffMfaLink).where(
        StaffMfaLink.staff_id == staff.id, StaffMfaLink.closed_at.is_(None)).values(closed_at=now))
    link = StaffMfaLink(staff_id=staff.id, requested_at=now, requested_by=actor.label[:255])
    db.session.add(link)
    db.session.flush()
    publish("staff.mfa_link_requested", {"link_id": str(link.id), "staff_id": str(staff.id)})
    audit.record(actor, "staff.mfa_link_requested", "staff", staff.id,
                 after={"link_id": link.id})
    db.session.flush()
    return True


def issue_token(link: StaffMfaLink) -> str | None:
    """Give a requested link its token and a fresh secret (any secret shown before, to
    anyone, stops counting). None when the link is closed or already has its token."""
    if link.closed_at is not None or link.token_hash is not None:
        return None
    staff = link.staff
    if staff.mfa_enabled:
        return None
    token = secrets.token_urlsafe(32)
    link.token_hash = _hash(token)
    link.expires_at = utcnow() + current_app.config["STAFF_MFA_LINK_TTL"]
    staff.totp_secret = pyotp.random_base32()
    db.session.flush()
    return token


def find_open(token: str | None) -> StaffMfaLink | None:
    if not token or len(token) > 128:
        return None
    link = db.session.scalars(select(StaffMfaLink).where(
        StaffMfaLink.token_hash == _hash(token))).first()
    if link is None or link.closed_at is not None or link.expires_at is None \
            or link.expires_at <= utcnow():
        return None
    return link


def confirm(link: StaffMfaLink, session: StaffSession, code: str) -> None:
    """The code from the authenticator just set up: turns the second factor on, uses the
    link up and lets the session through (it has given both factors)."""
    staff = session.staff
    if link.staff_id != staff.id:
        raise Conflict("This link is for another account.")
    if staff.mfa_enabled:
        raise Conflict("Two-factor authentication is already set up.")
    staff_service.accept_code(staff, code)
    # Claimed by a guarded UPDATE: the link works once, even for two requests at once.
    closed = db.session.execute(
        update(StaffMfaLink).where(StaffMfaLink.id == link.id, StaffMfaLink.closed_at.is_(None))
        .values(closed_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if closed != 1:
        raise InvalidInput("This link has been used.", errors={"code": ["Link used."]})
    staff.totp_confirmed_at = utcnow()
    actor = staff_service.actor_for(staff)
    audit.record(actor, "staff.mfa_enrolled", "staff", staff.id,
                 after={"link_requested_by": link.requested_by})
    if not session.mfa_passed:
        session.mfa_passed = True
        staff.last_login_at = utcnow()
        audit.record(actor, "staff.login", "staff", staff.id)
    db.session.flush()


def send_link_for(staff_id, *, actor: Actor) -> None:
    """An admin has a set-up link emailed to a member (a new member, or one whose own
    request went astray)."""
    staff = staff_service.get(staff_id)
    if not request_link(staff, actor=actor):
        raise Conflict(f"A link was sent to {staff.email} a few minutes ago.")
