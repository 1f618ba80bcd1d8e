"""Refunds left pending because the process that opened them stopped before the gateway's
answer was recorded (a killed worker or web process, an outage the client never retried).

Their amount stays reserved on the payment, and a held credit note they pay out stays
blocked, until something settles them: a webhook if the gateway made the refund, and
otherwise this. The gateway is asked again under the refund's own idempotency key
(``ngm-refund-<id>``), so it answers with the refund it already made, never a second one,
or makes the one it never received: the refund was opened, audited and reserved, so the
money is owed. Only within the day the gateways keep idempotency keys; older ones are
left to reconciliation (which records what the gateway says of the refunds it lists) and
counted in the log for finance.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.core.types import utcnow
from app.extensions import db
from app.payments import refunds
from app.payments.models import Refund

# Long enough that a request or job still waiting on the gateway is not raced.
STALLED_AFTER = timedelta(minutes=10)
# Stripe keeps an idempotency key for 24 hours (PayPal's request id longer): within it a
# repeated call cannot make a second refund.
KEYS_KEPT = timedelta(hours=23)


def due(limit: int = 100) -> list[uuid.UUID]:
    """Pending refunds nothing has touched for ``STALLED_AFTER``, oldest first."""
    now = utcnow()
    return list(db.session.scalars(
        select(Refund.id).where(Refund.status == "pending",
                                Refund.updated_at < now - STALLED_AFTER,
                                Refund.created_at > now - KEYS_KEPT)
        .order_by(Refund.created_at, Refund.id).limit(limit)))


def too_old() -> int:
    """Pending refunds past the idempotency window: for reconciliation and finance."""
    return db.session.scalar(select(func.count()).select_from(Refund).where(
        Refund.status == "pending", Refund.created_at <= utcnow() - KEYS_KEPT))


def call_for(refund_id) -> refunds.RefundCall | None:
    """The gateway call that resumes a stalled refund, or None if it was settled
    meanwhile (a webhook, a client's retry)."""
    refund = db.session.get(Refund, refund_id)
    if refund is None or refund.status != "pending":
        return None
    return refunds.call_for(refund)
