"""The job that sends one notification. Takes its id, never an ORM object."""
from app.notifications import service


def send(notification_id: str) -> str:
    # Never raises for a failed send: the row records it and a transient failure is
    # enqueued again with backoff (service.deliver), so RQ's own retry is not used.
    return service.deliver(notification_id)


def send_many(notification_ids: list[str]) -> dict:
    return service.deliver_many(notification_ids)


def sweep() -> dict:
    return service.sweep()
