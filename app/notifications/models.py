import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db

CHANNELS = ("email", "sms")
# queued -> sending -> sent | failed; sending -> queued (a transient error, retried later).
# "sending" is the claim: the one job that moved the row there is the only one that sends.
STATUSES = ("queued", "sending", "sent", "failed")


class Notification(db.Model):
    """One message to one recipient over one channel: the spool and the log at once."""

    __tablename__ = "notifications"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(10))
    template: Mapped[str] = mapped_column(String(60), index=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True,
                                                      index=True)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A retried handler or a duplicated job finds this key taken and sends nothing new.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    # What staff see: secrets (link tokens, phone codes) replaced by a placeholder.
    shown_text: Mapped[str] = mapped_column(Text, default="")
    shown_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What is sent: the rendered message (and attachment references), cleared once the
    # message is sent or failed when it holds a secret, so tokens do not outlive it.
    payload: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    resend_of: Mapped[uuid.UUID | None] = mapped_column(UUID, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
