"""Partners' webhook endpoints, the public events sent to them, and every delivery
attempt (the log a partner and support read when something did not arrive)."""
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    # The partner key that owns it; None when staff created it in the back office.
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_keys.id"),
                                                         nullable=True, index=True)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254))
    event_types: Mapped[list] = mapped_column(JSON, default=list)
    # HMAC needs the secret itself, so it is kept (never shown again after creation).
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime,
                                                                        nullable=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Since the first failed attempt with no success after it: 3 days of this disables.
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def __str__(self) -> str:
        return self.url


class WebhookEvent(db.Model):
    """A public event exactly as sent: the body is frozen, so a replay sends the same
    bytes (same id) and every attempt is signed over what was stored."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_created_at_id", "created_at", "id"),
                      Index("ix_webhook_events_object", "object_id", "sequence"))

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(80), index=True)
    # The outbox event it was made from (None for test events).
    source_event_id: Mapped[uuid.UUID | None] = mapped_column(UUID, nullable=True, unique=True)
    object_id: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(db.Model):
    """One event to one endpoint, until it is accepted or given up on."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        # Retention (app.retention) deletes the oldest finished ones first.
        Index("ix_webhook_deliveries_completed_at", "completed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_events.id"), index=True)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_endpoints.id"))
    kind: Mapped[str] = mapped_column(String(10), default="event")  # event | test | replay
    # pending -> sending -> succeeded | pending (retry) | failed
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class WebhookAttempt(db.Model):
    """One HTTP request of a delivery (append-only)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    delivery_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_deliveries.id"))
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    next_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class WebhookSequence(db.Model):
    """The last sequence number given to an object's events (receivers order by it)."""

    __tablename__ = "webhook_sequences"

    object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
