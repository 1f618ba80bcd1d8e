"""Data and jobs of the notification-jobs benchmark, run through ``run_in_app`` (the
app's environment, with REDIS_URL) and by the RQ worker (``noop``)."""
from __future__ import annotations

from sqlalchemy import func, select

from app.core.uow import unit_of_work
from app.extensions import db
from app.notifications.localise import Amount

CONTEXT = {"name": "Bench Buyer", "order_label": "#1042", "invoice_number": None,
           "amount": Amount(1999, "EUR")}


def noop() -> None:
    """The baseline job: RQ's own cost per job on the same worker, nothing else."""


def queue(count: int, run: str, per_transaction: int) -> int:
    """``count`` refund_issued emails through notify(), ``per_transaction`` to a unit of
    work: rendered and recorded here; after each commit the transaction's messages go
    to the ``email`` queue as one send job (one per message when per_transaction is 1,
    as a request that sends one email)."""
    from app.notifications.service import Recipient, notify

    for start in range(0, count, per_transaction):
        with unit_of_work():
            for i in range(start, min(count, start + per_transaction)):
                notify(Recipient(email=f"bench{i}@example.com"), "refund_issued", CONTEXT,
                       dedupe_key=f"bench:{run}:{i}")
    return count


def sent() -> dict:
    from app.notifications.models import Notification

    rows = dict(db.session.execute(select(Notification.status, func.count())
                                   .group_by(Notification.status)).all())
    attempts = db.session.scalar(select(func.sum(Notification.attempts))) or 0
    return {"sent": rows.get("sent", 0), "total": sum(rows.values()), "attempts": attempts}


def reset() -> bool:
    from app.notifications.models import Notification

    with unit_of_work():
        db.session.query(Notification).delete()
    return True
