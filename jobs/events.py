"""The one job that runs an event handler. Takes ids, never ORM objects."""
from app.events import service


def run_handler(event_id: str, handler_name: str) -> str:
    # Raises on failure: RQ records it and retries with the job's backoff.
    return service.run_handler(event_id, handler_name)
