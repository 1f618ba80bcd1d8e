"""Per-object webhook sequence numbers under concurrency, on PostgreSQL."""
import threading
import uuid

from app.extensions import db
from app.webhooks import sequence


def test_first_events_of_one_object_in_concurrent_transactions_both_get_numbers(pg_app):
    """Before the upsert, the second transaction's insert of the new counter row waited for
    the first, then failed on the primary key (and with it the business write)."""
    object_id = str(uuid.uuid4())
    first_taken, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def take(name, wait_first: bool):
        with pg_app.app_context():
            try:
                if wait_first:
                    first_taken.wait(10)
                results[name] = sequence.next_number(object_id)
                if not wait_first:
                    first_taken.set()
                    release.wait(10)  # hold the row until the other one is waiting
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 (reported below)
                errors.append(exc)
                db.session.rollback()

    a = threading.Thread(target=take, args=("a", False))
    b = threading.Thread(target=take, args=("b", True))
    a.start()
    b.start()
    first_taken.wait(10)
    b.join(0.5)  # b is blocked on a's row now
    release.set()
    a.join(10)
    b.join(10)
    assert errors == []
    assert (results["a"], results["b"]) == (1, 2)
