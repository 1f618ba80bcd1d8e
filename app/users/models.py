import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class User(db.Model):
    """An end user of the web and mobile apps (a customer)."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    # Stored normalised and lower-cased: uniqueness is case-insensitive by construction.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Bumped on password change: signed reset links carry it, so each link works once.
    credentials_version: Mapped[int] = mapped_column(Integer, default=1)
    # Messages are written in this language where a translation exists (else English).
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # SMS go only to a number proved by a code sent to it, and only when opted in.
    phone_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    phone_code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    phone_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    phone_code_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sms_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def sms_allowed(self) -> bool:
        return bool(self.phone and self.phone_verified_at and self.sms_opt_in)

    def profile(self) -> dict:
        return {
            "email": self.email,
            "full_name": self.full_name,
            "phone": self.phone,
            "country": self.country,
            "is_active": self.is_active,
        }


class AuthSession(db.Model):
    """One login: the family of rotating refresh tokens issued from it."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class RefreshToken(db.Model):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("auth_sessions.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    session: Mapped[AuthSession] = relationship()
