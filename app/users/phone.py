"""A customer's phone for SMS: set it, prove it with a code sent to it, opt in.

SMS go only to a verified number of a customer who opted in (User.sms_allowed). The
code is stored hashed (with the user id, so equal codes hash differently), expires,
and allows a few wrong tries before a new one must be asked for."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput
from app.core.types import utcnow
from app.extensions import db
from app.notifications.service import Recipient, notify
from app.notifications.sms import normalise_phone
from app.users import service as users
from app.users.models import User

CODE_TTL = timedelta(minutes=10)
MAX_TRIES = 5


def _hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.id}:{code}".encode()).hexdigest()


def state(user: User) -> dict:
    return {"phone": user.phone, "verified": user.phone_verified_at is not None,
            "sms_opt_in": user.sms_opt_in}


def set_phone(user_id, phone: str, *, actor: Actor) -> User:
    """A new number, unverified until its code is confirmed; the code is sent now."""
    number = normalise_phone(phone)
    user = users.get(user_id)
    before = state(user)
    user.phone = number
    user.phone_verified_at = None
    audit.record(actor, "user.phone_set", "user", user.id, before=before, after=state(user))
    _send_code(user)
    db.session.flush()
    return user


def send_code(user_id, *, actor: Actor) -> User:
    user = users.get(user_id)
    if not user.phone:
        raise Conflict("Set a phone number first.")
    if user.phone_verified_at is not None:
        raise Conflict("This phone number is already verified.")
    _send_code(user)
    db.session.flush()
    return user


def _send_code(user: User) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    user.phone_code_hash = _hash(user, code)
    user.phone_code_expires_at = utcnow() + CODE_TTL
    user.phone_code_attempts = 0
    # To the number being proved: opt-in and verification are what this establishes.
    notify(Recipient(phone=user.phone, user_id=user.id, locale=user.locale), "phone_code",
           {"code": code}, channels=("sms",), dedupe_key=f"phone-code:{user.id}:{uuid.uuid4()}")


def confirm(user_id, code: str, *, actor: Actor) -> User:
    user = users.get(user_id)
    if user.phone_verified_at is not None:
        raise Conflict("This phone number is already verified.")
    if (not user.phone_code_hash or user.phone_code_expires_at is None
            or user.phone_code_expires_at < utcnow() or user.phone_code_attempts >= MAX_TRIES):
        raise Conflict("No valid code: ask for a new one.")
    if not hmac.compare_digest(user.phone_code_hash, _hash(user, str(code).strip())):
        user.phone_code_attempts += 1
        db.session.flush()
        # keep_writes: the wrong try counts even though the request fails.
        raise InvalidInput("Wrong code.", errors={"code": ["Wrong code."]}, keep_writes=True)
    user.phone_verified_at = utcnow()
    user.phone_code_hash = None
    user.phone_code_expires_at = None
    audit.record(actor, "user.phone_verified", "user", user.id, after={"phone": user.phone})
    db.session.flush()
    return user


def set_sms_opt_in(user_id, enabled: bool, *, actor: Actor) -> User:
    user = users.get(user_id)
    if enabled and user.phone_verified_at is None:
        raise Conflict("Verify a phone number before opting in to SMS.")
    before = state(user)
    user.sms_opt_in = bool(enabled)
    audit.record(actor, "user.sms_opt_in", "user", user.id, before=before, after=state(user))
    db.session.flush()
    return user
