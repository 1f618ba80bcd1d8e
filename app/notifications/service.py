"""The notification service: ``notify()`` queues messages, ``deliver()`` (the job)
sends one, exactly once.

Exactly once, how: ``notify()`` records one row per channel under a dedupe key (a
handler run twice finds its rows and queues nothing new) and enqueues the send only
after commit. The job claims the row with a guarded UPDATE (queued -> sending, attempts
+1) committed before anything is sent, so a duplicated or retried job finds nothing to
claim and sends nothing. A worker killed mid-send leaves the row "sending": we do not
know whether the message went out, and we chose at most once: the sweep marks it failed
("interrupted") after the lease, and staff may resend it deliberately.
"""
from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.audit import service as audit
from app.core import uow
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.requestid import origin_meta
from app.core.types import utcnow
from app.extensions import db
from app.notifications import email, sms, templates
from app.notifications.errors import PermanentSendError, SendError, TransientSendError
from app.notifications.models import Notification

log = logging.getLogger(__name__)

JOB_FUNC = "jobs.notifications.send"
BATCH_JOB_FUNC = "jobs.notifications.send_many"


@dataclass(frozen=True)
class Recipient:
    email: str | None = None
    phone: str | None = None
    name: str = ""
    locale: str | None = None
    user_id: uuid.UUID | None = None

    @classmethod
    def for_user(cls, user, *, sms: bool | None = None) -> "Recipient":
        """A customer: their phone only when verified and opted in (unless told)."""
        allowed = user.sms_allowed if sms is None else sms
        return cls(email=user.email, phone=user.phone if allowed else None,
                   name=user.full_name or user.email, locale=user.locale, user_id=user.id)


def max_attempts(channel: str) -> int:
    return current_app.config[f"NOTIFY_{channel.upper()}_MAX_ATTEMPTS"]


def notify(recipient: Recipient, template: str, context: dict, channels=("email",), *,
           dedupe_key: str, attachments: list[dict] = ()) -> list[Notification]:
    """Queue ``template`` for ``recipient`` on each of ``channels`` (a channel without an
    address is skipped: a customer without a verified phone gets no SMS). Sent after the
    current transaction commits; refused (InvalidInput) for an unknown template, a
    missing variable, an invalid address or number, before anything is written."""
    spec = templates.spec(template)
    channels = tuple(dict.fromkeys(channels))
    unknown = [c for c in channels if c not in ("email", "sms")]
    if unknown or not channels:
        raise InvalidInput("Unknown channel.", errors={"channels": ["email and/or sms."]})
    for channel in channels:  # said even when this recipient has no address for it
        if channel not in spec.channels:
            raise InvalidInput(f"Template {template!r} has no {channel} version.",
                               errors={"channels": [f"{template} is not sent by {channel}."]})
    locale = templates.locale_for(recipient.locale)
    planned = []
    for channel in channels:
        address = recipient.email if channel == "email" else recipient.phone
        if not address:
            continue
        address = email.valid_address(address) if channel == "email" else sms.normalise_phone(address)
        real = templates.render(template, channel, context, locale)
        shown = templates.redacted(template, channel, context, locale) if spec.secrets else real
        planned.append((channel, address, real, shown))
    rows = []
    for channel, address, real, shown in planned:
        key = dedupe_key if channel == "email" else f"{dedupe_key}:{channel}"
        rows.append(_record(key, channel, template, address, recipient, locale, real, shown,
                            list(attachments) if channel == "email" else []))
    return rows


def _record(key, channel, template, address, recipient, locale, real, shown, attachments):
    existing = db.session.scalars(select(Notification).where(Notification.dedupe_key == key)).first()
    if existing is not None:
        return existing  # the handler ran before: that row is (or was) being sent
    row = Notification(
        id=uuid.uuid4(), channel=channel, template=template, recipient=address,
        user_id=recipient.user_id, locale=locale, status="queued", attempts=0, dedupe_key=key,
        subject=shown.subject, shown_text=shown.text, shown_html=shown.html,
        payload={"subject": real.subject, "text": real.text, "html": real.html,
                 "name": recipient.name, "attachments": attachments,
                 "secret": bool(templates.spec(template).secrets)})
    db.session.add(row)
    db.session.flush()
    # One job per channel for all the messages a transaction queued (a forked work
    # horse costs more than sending one email), handed over once it commits.
    uow.defer(_BUCKET, (row.id, channel))
    uow.after_commit(_enqueue_committed)
    return row


_BUCKET = "notifications"
BATCH = 100


def _enqueue_committed() -> None:
    by_channel: dict[str, list] = {}
    for notification_id, channel in uow.take(_BUCKET):
        by_channel.setdefault(channel, []).append(notification_id)
    for channel, ids in by_channel.items():
        for start in range(0, len(ids), BATCH):
            enqueue_many(ids[start:start + BATCH], channel)


def enqueue_many(ids: list, channel: str) -> None:
    """Hand a batch to one worker job (embedded: send now); each message is still
    claimed, sent and retried on its own."""
    if current_app.config["JOBS_INLINE"] or len(ids) == 1:
        for notification_id in ids:
            enqueue(notification_id, channel)
        return
    from rq import Queue

    from app.core.redis import get_redis

    try:
        Queue(channel, connection=get_redis()).enqueue(
            BATCH_JOB_FUNC, [str(i) for i in ids], job_id=f"notify-batch-{ids[0]}",
            description=f"{len(ids)} notifications", meta=origin_meta(),
            job_timeout=current_app.config["RQ_JOB_TIMEOUT"])
    except Exception as exc:  # Redis down: the rows stay queued; the sweep enqueues them
        log.warning("%d notification(s) not enqueued (sweep will retry): %s", len(ids), exc)


def deliver_many(ids: list) -> dict:
    """The batch job: each message in turn, sharing one SMTP session."""
    results: dict[str, int] = {}
    with email.reused_connection():
        for notification_id in ids:
            result = deliver(notification_id)
            results[result] = results.get(result, 0) + 1
    return results


def enqueue(notification_id, channel: str, delay: float = 0.0, attempt: int = 0) -> None:
    """Hand the send to a worker (embedded: send now, in this process)."""
    if current_app.config["JOBS_INLINE"]:
        # Embedded: nothing can wait for a backoff, so a transient failure stays queued
        # (shown in the back office) unless retries are immediate (backoff 0).
        while deliver(notification_id) == "retry" and not current_app.config["NOTIFY_BACKOFF_SECONDS"]:
            pass
        return
    from rq import Queue

    from app.core.redis import get_redis

    queue = Queue(channel, connection=get_redis())
    # One job id per attempt: a re-enqueue from inside the running job must not share
    # the running job's id (its completion would overwrite the new one).
    job_id = f"notify-{notification_id}-{attempt}"
    kwargs = dict(job_id=job_id, description=f"notification {notification_id}",
                  meta=origin_meta(), job_timeout=current_app.config["RQ_JOB_TIMEOUT"])
    try:
        if delay > 0:
            queue.enqueue_in(timedelta(seconds=delay), JOB_FUNC, str(notification_id), **kwargs)
        else:
            queue.enqueue(JOB_FUNC, str(notification_id), **kwargs)
    except Exception as exc:  # Redis down: the row stays queued; the sweep enqueues it again
        log.warning("notification %s not enqueued (sweep will retry): %s", notification_id, exc)


def backoff(attempts: int) -> float:
    """Exponential with jitter: base * 2^(n-1), times 0.5..1.5, so retries of many
    messages failing together (an SMTP outage) spread out instead of arriving together."""
    base = current_app.config["NOTIFY_BACKOFF_SECONDS"]
    return base * 2 ** (attempts - 1) * random.uniform(0.5, 1.5)


def _claim(notification_id) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "queued")
        .values(status="sending", attempts=Notification.attempts + 1, claimed_at=now,
                updated_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def deliver(notification_id) -> str:
    """Send one notification if it is still queued. Returns sent, failed, retry or
    skipped (another job has it, or it is done). Never raises for a send failure: the
    row records it, and a transient one is enqueued again after a backoff."""
    notification_id = uuid.UUID(str(notification_id))
    if not _claim(notification_id):
        return "skipped"
    row = db.session.get(Notification, notification_id)
    db.session.refresh(row)
    channel, attempts = row.channel, row.attempts
    try:
        provider_id = _send(row)
    except Exception as exc:
        db.session.rollback()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        transient = not isinstance(exc, SendError) or exc.transient
        if transient and attempts < max_attempts(channel):
            _finish(notification_id, status="queued", error=error, keep_payload=True)
            log.warning("notification %s attempt %d failed, retrying: %s",
                        notification_id, attempts, error)
            enqueue(notification_id, channel, backoff(attempts), attempts) \
                if not current_app.config["JOBS_INLINE"] else None
            return "retry"
        _finish(notification_id, status="failed", error=error)
        log.warning("notification %s failed after %d attempt(s): %s",
                    notification_id, attempts, error)
        return "failed"
    _finish(notification_id, status="sent", provider_message_id=provider_id, sent_at=utcnow(),
            error=None)
    return "sent"


def _finish(notification_id, *, keep_payload: bool = False, **values) -> None:
    row = db.session.get(Notification, notification_id)
    for key, value in values.items():
        setattr(row, key, value)
    if not keep_payload and row.payload and row.payload.get("secret"):
        row.payload = None  # the token was for this message only
    row.updated_at = utcnow()
    db.session.commit()


def _send(row: Notification) -> str:
    payload = row.payload or {}
    if row.channel == "sms":
        return sms.deliver(row.recipient, payload["text"], notification_id=row.id)
    from app.notifications.attachments import resolve

    msg = email.build(
        # The bare address in To, as before (receivers and tests match on it); the
        # name is in the greeting. build() neutralises a name when one is given.
        notification_id=row.id, to=row.recipient, to_name="",
        subject=payload["subject"], text=payload["text"], html=payload.get("html"),
        attachments=resolve(payload.get("attachments") or []), dedupe_key=row.dedupe_key,
        unsubscribe=templates.spec(row.template).unsubscribe)
    return email.deliver(msg, notification_id=row.id)


def sweep() -> dict:
    """Periodic: enqueue queued rows nobody enqueued (Redis was down at commit), and
    settle rows left "sending" by a worker that died (at most once: failed, not resent)."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["NOTIFY_SENDING_LEASE_SECONDS"])
    stale = db.session.execute(
        update(Notification)
        .where(Notification.status == "sending", Notification.claimed_at < now - lease)
        .values(status="failed", updated_at=now,
                error="Interrupted while sending: it may or may not have been delivered; "
                      "resend it from the back office if needed.")
        .execution_options(synchronize_session=False)).rowcount
    waiting = db.session.execute(
        select(Notification.id, Notification.channel, Notification.attempts)
        .where(Notification.status == "queued", Notification.updated_at < now - lease)
        .limit(500)).all()
    db.session.commit()
    for notification_id, channel, attempts in waiting:
        enqueue(notification_id, channel, 0, attempts)
    return {"interrupted": stale, "requeued": len(waiting)}


def for_user(user_id, limit: int = 20) -> list[Notification]:
    """The latest messages to one customer, newest first (the customer page's section)."""
    return db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                              .order_by(Notification.created_at.desc()).limit(limit)).all()


def get(notification_id) -> Notification:
    row = db.session.get(Notification, notification_id)
    if row is None:
        raise NotFound("Notification not found.")
    return row


def resend(notification_id, *, actor: Actor) -> Notification:
    """A new notification with the same message (staff: the customer lost it, or it
    failed); audited. A message that carried a secret cannot be resent: its token is
    gone, and the customer asks for a new link instead."""
    original = get(notification_id)
    if original.status in ("queued", "sending"):
        raise Conflict("This notification is still being sent.")
    if original.payload is None:
        raise Conflict("This message held a one-time link or code and cannot be resent; "
                       "the customer can ask for a new one.")
    count = db.session.scalar(select(db.func.count()).select_from(Notification)
                              .where(Notification.resend_of == original.id)) or 0
    row = Notification(
        id=uuid.uuid4(), channel=original.channel, template=original.template,
        recipient=original.recipient, user_id=original.user_id, locale=original.locale,
        status="queued", attempts=0, dedupe_key=f"{original.dedupe_key}:resend-{count + 1}"[-200:],
        subject=original.subject, shown_text=original.shown_text,
        shown_html=original.shown_html, payload=dict(original.payload), resend_of=original.id)
    db.session.add(row)
    audit.record(actor, "notification.resend", "notification", original.id,
                 after={"resent_as": str(row.id), "recipient": original.recipient})
    db.session.flush()
    uow.after_commit(enqueue, row.id, row.channel)
    return row
