"""Fraud screening's tables: the rules (data, edited by admins), changes to them waiting
for a second admin, named lists, one check per screened step, and the review queue."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, and_, exists)
from sqlalchemy.orm import Mapped, column_property, mapped_column

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db
from app.orders.models import Order

ACTIONS = ("allow", "block", "review")
REVIEW_STATUSES = ("open", "approved", "rejected_fraud", "rejected_other")
CHANGE_STATUSES = ("pending", "applied", "rejected")
CHANGE_KINDS = ("create", "update", "delete")


class FraudRule(db.Model):
    """Evaluated in ``position`` order; the first enabled rule that matches decides."""

    __tablename__ = "fraud_rules"
    __table_args__ = (CheckConstraint("action IN ('allow', 'block', 'review')",
                                      name="action_known"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    expression: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10))
    enabled: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(255), default="system")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __str__(self) -> str:
        return self.name


class FraudRuleChange(db.Model):
    """A proposed create, update or delete of a rule, with its dry-run impact. Applied at
    once when the impact is small; else pending until a second admin decides."""

    __tablename__ = "fraud_rule_changes"
    __table_args__ = (
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by",
                        name="not_own_decision"),
        Index("ix_fraud_rule_changes_status_created", "status", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    rule_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("fraud_rules.id", ondelete="SET NULL"),
                                                      nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # The rule as it would be after the change (for a delete: as it was).
    name: Mapped[str] = mapped_column(String(100))
    expression: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(default=True)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    impact_matched: Mapped[int] = mapped_column(Integer, default=0)
    impact_total: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(255))
    requested_by_label: Mapped[str] = mapped_column(String(255), default="")
    decided_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decided_by_label: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def impact(self) -> float:
        return self.impact_matched / self.impact_total if self.impact_total else 0.0


class FraudListEntry(db.Model):
    """A value on a named list (``@name`` in rules). The lists ``allow`` and ``block`` are
    matched against the email, email domain, IP, card fingerprint and customer id."""

    __tablename__ = "fraud_list_entries"
    __table_args__ = (UniqueConstraint("list_name", "value"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    list_name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(255))  # stored lower case
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(255), default="system")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FraudCheck(db.Model):
    """One screening of an order (at placement) or of a payment (before the gateway is
    asked). The attributes the engine saw are kept: dry runs replay them."""

    __tablename__ = "fraud_checks"
    __table_args__ = (Index("ix_fraud_checks_order_stage", "order_id", "stage"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"), nullable=True)
    stage: Mapped[str] = mapped_column(String(10))  # order | payment
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done
    # The request that placed the order, kept for the job that screens it after commit.
    ip: Mapped[str | None] = mapped_column(String(45), nullable=True)
    ip_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    action: Mapped[str | None] = mapped_column(String(10), nullable=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule_id: Mapped[uuid.UUID | None] = mapped_column(UUID, nullable=True)
    rule_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    signals: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    attributes: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FraudReview(db.Model):
    """An order held for a person: one per order; decided once."""

    __tablename__ = "fraud_reviews"
    __table_args__ = (Index("ix_fraud_reviews_status_created", "status", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), unique=True)
    check_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("fraud_checks.id"), nullable=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    rule_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    decided_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decided_by_label: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __str__(self) -> str:
        return f"Review of order {str(self.order_id)[:8]}"


# What the owner of an order may know of screening: only that a person is looking at it.
# Deferred: loaded when read (the API's rendering of an Order), not with every Order.
Order.under_review = column_property(
    exists().where(and_(FraudReview.order_id == Order.id, FraudReview.status == "open")),
    deferred=True)
