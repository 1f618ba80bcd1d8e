"""Webhook delivery jobs. Take ids, never ORM objects."""
from app.webhooks import delivery


def deliver(delivery_id: str) -> str:
    # The outcome is recorded on the delivery; a failed attempt schedules its own retry,
    # so RQ never retries this job (that would send twice).
    return delivery.deliver(delivery_id)


def retry_due() -> int:
    return delivery.sweep_due()
