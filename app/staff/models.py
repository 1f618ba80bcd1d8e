import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db

ROLES = ("admin", "finance", "support")


class Staff(db.Model):
    """A back-office account. Sessions are server-side rows, so logout really ends them."""

    __tablename__ = "staff"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The time step (unix time // 30) of the last code accepted: a code is used once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # IANA name; the back office shows timestamps in it (stored times stay UTC).
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Flask-Login protocol. The id it stores is the *session* id, not the staff id.
    is_staff = True
    is_anonymous = False
    current_session_id = None  # set by the login loader, never persisted
    # Set by the login loader, never persisted: True while the second factor is owed,
    # so every adapter (views, Socket.IO) can refuse a half-signed-in session.
    mfa_pending = False

    @property
    def is_authenticated(self) -> bool:
        return self.current_session_id is not None

    def get_id(self) -> str:
        return str(self.current_session_id)

    @property
    def mfa_enabled(self) -> bool:
        return self.totp_confirmed_at is not None

    def public(self) -> dict:
        return {"email": self.email, "full_name": self.full_name, "role": self.role,
                "is_active": self.is_active, "mfa_enabled": self.mfa_enabled}

    def __str__(self) -> str:
        return self.email


class StaffSession(db.Model):
    __tablename__ = "staff_sessions"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # False until the second factor is given (when MFA applies).
    mfa_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)

    staff: Mapped[Staff] = relationship(lazy="joined")


class StaffMfaLink(db.Model):
    """A one-time link to set up a first second factor, emailed to the staff member: the
    password alone never shows an enrolment secret. Only a SHA-256 of the token is kept;
    the token exists in the email and nowhere else. Requested in the request's unit of
    work (``token_hash`` empty), given its token by the job that sends the email."""

    __tablename__ = "staff_mfa_links"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_by: Mapped[str] = mapped_column(String(255), default="")
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the link is used, or when a newer link replaces it.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    staff: Mapped[Staff] = relationship(lazy="joined")


class SavedFilter(db.Model):
    """A list's search and filters saved under a name by one staff member, re-applied from
    the list page. ``query`` is the list URL's query string (app/staff/saved_filters.py
    keeps only what a list reads)."""

    __tablename__ = "staff_saved_filters"
    __table_args__ = (UniqueConstraint("staff_id", "list_name", "name",
                                       name="uq_staff_saved_filters_name"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
