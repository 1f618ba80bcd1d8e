"""End-user identity: one function per operation, called by the API, the admin and jobs."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from app.audit import service as audit
from app.core import passwords
from app.core.actor import Actor
from app.core import uow
from app.core.lookup import get_or_not_found
from app.core.emails import normalise_email
from app.core.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.readonly import first
from app.core.types import utcnow
from app.events.service import publish
from app.extensions import db
from app.users import tokens
from app.users.models import AuthSession, RefreshToken, User

from flask import current_app

PROFILE_FIELDS = {"full_name", "phone", "country"}


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    token_type: str = "Bearer"


def actor_for(user: User) -> Actor:
    return Actor(kind="user", id=user.id, label=user.email)


def get(user_id) -> User:
    return get_or_not_found(User, user_id, "User not found.")


def find_by_email(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except InvalidInput:
        return None
    return db.session.scalars(select(User).where(User.email == email)).first()


def _typed_email(email) -> str:
    """What a failed attempt named, for the audit log: only a well-formed address (a
    password typed into the email field must not land in the log)."""
    try:
        return normalise_email(email)
    except InvalidInput:
        return "(not an email address)"


def register(email: str, password: str, full_name: str = "", *, actor: Actor | None = None) -> User:
    email = normalise_email(email)
    passwords.validate(password, email=email, name=full_name or "")
    if db.session.scalars(select(User.id).where(User.email == email)).first():
        raise Conflict("An account with this email already exists.",
                       errors={"email": ["Already registered."]})
    user = User(id=uuid.uuid4(), email=email, is_active=True,
                password_hash=passwords.hash_password(password),
                full_name=(full_name or "").strip())
    db.session.add(user)
    actor = actor or actor_for(user)
    audit.record(actor, "user.register", "user", user.id, after=user.profile())
    publish("user.registered", {"user_id": str(user.id)})
    try:
        db.session.flush()
    except IntegrityError:  # lost a race with the same email
        uow.rollback()
        raise Conflict("An account with this email already exists.",
                       errors={"email": ["Already registered."]}) from None
    return user


def sign_up(email: str, password: str, full_name: str = "") -> None:
    """Self-service registration. The answer is the same whether or not the email has an
    account, and so is the work (one argon2 hash, one outbox event): the account's owner
    learns by email that someone tried, an attacker learns nothing (no enumeration)."""
    email = normalise_email(email)
    passwords.validate(password, email=email, name=full_name or "")
    existing = db.session.scalars(select(User.id).where(User.email == email)).first()
    if existing is None:
        try:
            register(email, password, full_name)
        except Conflict:  # lost a race with the same email: the other request created it
            pass
        return
    passwords.hash_password(password)  # the cost a new account would have had
    publish("user.registration_attempted", {"user_id": str(existing)})
    db.session.flush()


def verification_token(user: User) -> str:
    return tokens.sign("verify-email", {"uid": str(user.id), "email": user.email})


def verify_email(token: str) -> User:
    max_age = int(current_app.config["EMAIL_TOKEN_TTL"].total_seconds())
    data = tokens.unsign("verify-email", token, max_age)
    user = db.session.get(User, uuid.UUID(data["uid"]))
    if user is None or user.email != data.get("email"):
        raise InvalidInput("This link is invalid.", errors={"token": ["Invalid."]})
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record(actor_for(user), "user.verify_email", "user", user.id,
                     after={"email_verified": True})
        db.session.flush()
    return user


def resend_verification(user_id) -> None:
    user = get(user_id)
    if user.email_verified_at is not None:
        raise Conflict("Email is already verified.")
    publish("user.verification_requested", {"user_id": str(user.id)})
    db.session.flush()


def login(email: str, password: str, *, user_agent: str | None = None) -> TokenPair:
    user = find_by_email(email)
    # verify_password runs even for unknown accounts: equal timing, no enumeration.
    ok = passwords.verify_password(user.password_hash if user else None, password or "")
    # A deactivated account answers as a wrong password does, whatever the password: the
    # answer must not confirm a password (nor that the account exists).
    if not user or not ok or not user.is_active:
        reason = "no_account" if not user else ("deactivated" if ok else "wrong_password")
        audit.record_failure(Actor.anonymous(), "user.login_failed", "user",
                             user.id if user else None,
                             after={"email": user.email if user else _typed_email(email),
                                    "reason": reason})
        raise AuthenticationFailed("Invalid email or password.")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session = AuthSession(id=uuid.uuid4(), user_id=user.id,
                          user_agent=(user_agent or "").replace("\x00", "")[:255])  # PG: no NUL
    db.session.add(session)
    pair = _issue(user.id, session.id)
    audit.record(actor_for(user), "user.login", "user", user.id)
    db.session.flush()
    return pair


def _issue(user_id: uuid.UUID, session_id: uuid.UUID) -> TokenPair:
    access, access_exp = tokens.issue_access_token(user_id, session_id)
    refresh, refresh_hash = tokens.new_refresh_token()
    refresh_exp = utcnow() + current_app.config["JWT_REFRESH_TTL"]
    db.session.add(RefreshToken(session_id=session_id, token_hash=refresh_hash,
                                expires_at=refresh_exp))
    return TokenPair(access, access_exp, refresh, refresh_exp)


def refresh(refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent and a new pair issued. Presenting a spent
    token again means it leaked: the whole session (token family) is revoked."""
    token_hash = tokens.hash_token(refresh_token or "")
    row = db.session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    ).first()
    if row is None:
        raise AuthenticationFailed("Invalid refresh token.")
    session = db.session.get(AuthSession, row.session_id)
    if session.revoked_at is not None:
        raise AuthenticationFailed("Session has ended.")
    now = utcnow()
    # Guarded update: of two concurrent refreshes with one token, exactly one wins.
    spent = db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if spent == 0:
        _revoke_session(session, "refresh_token_reuse")
        audit.record(Actor(kind="system", label="token-reuse-detector"), "user.session_revoked",
                     "user", session.user_id, after={"session_id": session.id,
                                                     "reason": "refresh_token_reuse"})
        # The revocation stands although the request is refused.
        raise AuthenticationFailed("Refresh token reuse detected; session revoked.",
                                   keep_writes=True)
    if row.expires_at <= now:
        uow.rollback()
        raise AuthenticationFailed("Refresh token expired.")
    user = session.user
    if not user.is_active:
        uow.rollback()
        raise AuthenticationFailed("This account is deactivated.")
    pair = _issue(user.id, session.id)
    db.session.flush()
    return pair


def _revoke_session(session: AuthSession, reason: str) -> None:
    if session.revoked_at is None:
        session.revoked_at = utcnow()
        session.revoked_reason = reason


def _revoke_all_sessions(user_id: uuid.UUID, reason: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def logout(user_id, session_id: uuid.UUID) -> None:
    user = get(user_id)
    session = db.session.get(AuthSession, session_id)
    if session is None or session.user_id != user.id:
        raise NotFound("Session not found.")
    _revoke_session(session, "logout")
    audit.record(actor_for(user), "user.logout", "user", user.id, after={"session_id": session_id})
    db.session.flush()


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The signed-in user as the API reads it: a plain row, not an ORM object, because
    it is loaded on every authenticated request (ORM loading costs ~3x a Core row)."""

    id: uuid.UUID
    email: str
    full_name: str
    phone: str | None
    country: str | None
    email_verified_at: datetime | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


_CURRENT_USER_COLUMNS = [getattr(User, f) for f in CurrentUser.__slots__]
_AUTHENTICATE = (
    select(*_CURRENT_USER_COLUMNS, AuthSession.revoked_at)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(AuthSession.id == bindparam("sid"), User.id == bindparam("uid"))
)


def _current_user_row(session_id: uuid.UUID, user_id: uuid.UUID):
    """Outside the request's session, in autocommit: a read-only request then opens no
    transaction at all (no BEGIN/ROLLBACK round trips). On PostgreSQL the compiled
    statement goes straight to the driver: this runs on every authenticated request, and
    SQLAlchemy's execution machinery costs more CPU than the query itself."""
    row = first(_AUTHENTICATE, {"sid": session_id, "uid": user_id})
    if row is None:
        return None
    return (uuid.UUID(str(row[0])), *row[1:])


def authenticate(access_token: str) -> tuple[CurrentUser, uuid.UUID]:
    """The user behind a valid access token of a live session; one query."""
    user_id, session_id = tokens.decode_access_token(access_token)
    row = _current_user_row(session_id, user_id)
    if row is None or row[-1] is not None:
        raise AuthenticationFailed("Session has ended.")
    user = CurrentUser(*row[:-1])
    if not user.is_active:
        raise AuthenticationFailed("This account is deactivated.")
    return user, session_id


def request_password_reset(email: str) -> None:
    """Always succeeds from the caller's view, with the same work whether the account
    exists or not (one outbox row, no lookup here): the email job looks the account up."""
    try:
        email = normalise_email(email)
    except InvalidInput:
        return  # the address's form, not its existence, decides this
    publish("user.password_reset_requested", {"email": email})
    db.session.flush()


def password_reset_token(user: User) -> str:
    return tokens.sign("password-reset", {"uid": str(user.id), "v": user.credentials_version})


def reset_password(token: str, new_password: str) -> User:
    max_age = int(current_app.config["PASSWORD_RESET_TTL"].total_seconds())
    data = tokens.unsign("password-reset", token, max_age)
    user = db.session.get(User, uuid.UUID(data["uid"]))
    if user is None or not user.is_active or data.get("v") != user.credentials_version:
        raise InvalidInput("This link is invalid or already used.", errors={"token": ["Invalid."]})
    passwords.validate(new_password, email=user.email, name=user.full_name or "")
    _set_password(user, new_password)
    audit.record(actor_for(user), "user.password_reset", "user", user.id)
    db.session.flush()
    return user


def change_password(user_id, current_password: str, new_password: str) -> None:
    user = get(user_id)
    if not passwords.verify_password(user.password_hash, current_password or ""):
        raise InvalidInput("Current password is wrong.",
                           errors={"current_password": ["Does not match."]})
    passwords.validate(new_password, email=user.email, name=user.full_name or "")
    _set_password(user, new_password)
    audit.record(actor_for(user), "user.password_change", "user", user.id)
    db.session.flush()


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = passwords.hash_password(new_password)
    user.credentials_version += 1
    _revoke_all_sessions(user.id, "password_changed")


def update_profile(user_id, changes: dict, *, actor: Actor) -> User:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise InvalidInput("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
    user = get(user_id)
    before = user.profile()
    for key, value in changes.items():
        if key == "country" and value is not None:
            value = value.upper()
        if isinstance(value, str):
            value = value.strip()
        if key == "phone" and value != user.phone:
            user.phone_verified_at = None  # a new number is proved again (app.users.phone)
        setattr(user, key, value)
    old, new = audit.changed(before, user.profile())
    if new:
        audit.record(actor, "user.update", "user", user.id, before=old, after=new)
    db.session.flush()
    return user


def deactivate(user_id, *, actor: Actor) -> User:
    """The account can no longer log in; its data is kept."""
    user = get(user_id)
    if not user.is_active:
        raise Conflict("This account is already deactivated.")
    user.is_active = False
    user.deactivated_at = utcnow()
    _revoke_all_sessions(user.id, "deactivated")
    audit.record(actor, "user.deactivate", "user", user.id,
                 before={"is_active": True}, after={"is_active": False})
    db.session.flush()
    return user


def reactivate(user_id, *, actor: Actor) -> User:
    user = get(user_id)
    if user.is_active:
        raise Conflict("This account is already active.")
    user.is_active = True
    user.deactivated_at = None
    audit.record(actor, "user.reactivate", "user", user.id,
                 before={"is_active": False}, after={"is_active": True})
    db.session.flush()
    return user
