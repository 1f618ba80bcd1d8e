"""Delivering an event to an endpoint: one attempt per call, retried with exponential
backoff and full jitter for up to WEBHOOK_RETRY_WINDOW_SECONDS (3 days) on timeouts,
connection errors, 5xx and 429 (never sooner than its Retry-After). Any other answer
outside 2xx is a failure that is not retried. An endpoint whose deliveries have failed
for the whole window, with no success in between, is disabled and its partner told.

Each attempt is claimed with a guarded UPDATE (a delivery handed over twice, by the
scheduler and by the sweep, is sent once) and committed before the request goes out:
no transaction stays open across the network.

Embedded default (jobs inline): the first attempt is made right after the commit, with
the short WEBHOOK_INLINE_TIMEOUT_SECONDS, so a dead receiver holds a request for at most
that long per endpoint; retries wait for ``flask webhooks retry-due`` (or a worker).
With Redis: the fan-out job (one per event, ``webhooks`` queue) makes the first attempts
of its deliveries itself, concurrently (one job per event rather than per endpoint: a
forked job costs more than a delivery); test deliveries and replays asked for in a request
are jobs of their own, and so is every retry (``enqueue_in`` its backoff delay); the
periodic sweep hands over any that were lost (Redis down, a worker killed).
"""
from __future__ import annotations

import logging
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import orjson
from flask import current_app
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import or_, select, update

from app.audit import service as audit
from app.core import uow
from app.core.actor import Actor
from app.core.redis import get_redis
from app.core.requestid import origin_meta
from app.core.types import utcnow
from app.events.service import publish
from app.extensions import db
from app.webhooks import signing, transport
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger(__name__)

QUEUE = "webhooks"
JOB = "jobs.webhooks.deliver"
USER_AGENT = "NextGen-Market-Webhooks/1.0"


def start(delivery_ids: list[uuid.UUID], *, here: bool = False) -> None:
    """Send the first attempts once the rows creating them have committed: as jobs, or
    ``here`` (the fan-out job sends its event's first attempts itself, concurrently)."""
    if delivery_ids:
        uow.after_commit(hand_over, list(delivery_ids), here=here)


def hand_over(delivery_ids: list, *, now: datetime | None = None, here: bool = False) -> None:
    if current_app.config["JOBS_INLINE"]:
        for delivery_id in delivery_ids:
            _deliver_logged(delivery_id, now)
        return
    if here:
        _deliver_concurrently(delivery_ids)
        return
    for delivery_id in delivery_ids:
        if not _enqueue(delivery_id):
            return  # Redis is down: the rows are due, the sweep hands them over later


def _deliver_logged(delivery_id, now: datetime | None = None) -> None:
    try:
        deliver(delivery_id, now=now)
    except Exception:  # the row stays due; the sweep tries it again
        log.exception("webhook delivery %s failed", delivery_id)


def _deliver_concurrently(delivery_ids: list) -> None:
    """One slow receiver must not hold the others: each attempt in its own thread (its
    own app context, so its own session and connection), at most
    WEBHOOK_FANOUT_CONCURRENCY at once."""
    app = current_app._get_current_object()

    def one(delivery_id):
        with app.app_context():
            try:
                _deliver_logged(delivery_id)
            finally:
                db.session.remove()

    workers = min(len(delivery_ids), app.config["WEBHOOK_FANOUT_CONCURRENCY"])
    if workers <= 1:
        for delivery_id in delivery_ids:
            _deliver_logged(delivery_id)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webhook") as pool:
        list(pool.map(one, delivery_ids))


def _enqueue(delivery_id, delay: float | None = None, attempt: int = 1) -> bool:
    conn = get_redis()
    queue = Queue(QUEUE, connection=conn)
    options = {"job_id": f"whd-{delivery_id}-{attempt}",
               "job_timeout": current_app.config["RQ_JOB_TIMEOUT"],
               "description": f"webhook delivery {delivery_id} attempt {attempt}",
               "meta": origin_meta()}
    try:
        if delay:
            queue.enqueue_in(timedelta(seconds=delay), JOB, str(delivery_id), **options)
        else:
            queue.enqueue(JOB, str(delivery_id), **options)
    except RedisError as exc:
        log.warning("redis unavailable, delivery %s left for the sweep: %s", delivery_id, exc)
        return False
    return True


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], never before the
    receiver's Retry-After."""
    cfg = current_app.config
    ceiling = min(cfg["WEBHOOK_RETRY_CAP_SECONDS"],
                  cfg["WEBHOOK_RETRY_BASE_SECONDS"] * 2 ** min(attempt - 1, 30))
    delay = random.uniform(0, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def deliver(delivery_id, *, now: datetime | None = None) -> str:
    """One attempt of one delivery: "succeeded", "retrying", "failed" or "skipped" (not
    due, or already being sent)."""
    now = now or utcnow()
    claimed = _claim(uuid.UUID(str(delivery_id)), now)
    if isinstance(claimed, str):
        return claimed
    body = claimed["body"].encode()
    timestamp = int(now.timestamp())
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "Webhook-Id": str(claimed["event_id"]),
               "Webhook-Delivery": str(delivery_id),
               signing.HEADER: signing.header(claimed["secrets"], timestamp, body)}
    timeout = current_app.config["WEBHOOK_INLINE_TIMEOUT_SECONDS"
                                 if current_app.config["JOBS_INLINE"]
                                 else "WEBHOOK_TIMEOUT_SECONDS"]
    outcome = transport.post(claimed["url"], body, headers, timeout=timeout)
    return _record(claimed, outcome, now)


def _claim(delivery_id: uuid.UUID, now: datetime):
    with uow.unit_of_work():
        moved = db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
                   or_(WebhookDelivery.next_attempt_at.is_(None),
                       WebhookDelivery.next_attempt_at <= now))
            .values(status="sending", attempts=WebhookDelivery.attempts + 1,
                    next_attempt_at=None, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if moved != 1:
            return "skipped"
        delivery, endpoint, body = db.session.execute(
            select(WebhookDelivery, WebhookEndpoint, WebhookEvent.body)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id)
            .execution_options(populate_existing=True)).one()
        gone = endpoint.deleted_at is not None
        if gone or (not endpoint.enabled and delivery.kind == "event"):
            # Test deliveries and replays are asked for by a person: they still go out.
            delivery.status, delivery.completed_at = "failed", now
            delivery.last_error = "Endpoint deleted." if gone else "Endpoint disabled."
            return "failed"
        secrets = [endpoint.secret]
        if endpoint.previous_secret and endpoint.previous_secret_expires_at \
                and endpoint.previous_secret_expires_at > now:
            secrets.append(endpoint.previous_secret)
        return {"id": delivery.id, "number": delivery.attempts, "kind": delivery.kind,
                "created_at": delivery.created_at, "event_id": delivery.event_id,
                "endpoint_id": endpoint.id, "url": endpoint.url, "secrets": secrets,
                "body": body}


def _record(claimed: dict, outcome: transport.Outcome, now: datetime) -> str:
    window = timedelta(seconds=current_app.config["WEBHOOK_RETRY_WINDOW_SECONDS"])
    next_at, delay = None, None
    if not outcome.ok and outcome.retryable and claimed["kind"] != "test":
        delay = retry_delay(claimed["number"], outcome.retry_after)
        if now + timedelta(seconds=delay) <= claimed["created_at"] + window:
            next_at = now + timedelta(seconds=delay)
    status = "succeeded" if outcome.ok else ("pending" if next_at else "failed")
    with uow.unit_of_work():
        db.session.add(WebhookAttempt(
            delivery_id=claimed["id"], number=claimed["number"], started_at=now,
            duration_ms=outcome.duration_ms, response_status=outcome.status,
            response_excerpt=outcome.excerpt, error=outcome.error, next_retry_at=next_at))
        db.session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == claimed["id"])
            .values(status=status, next_attempt_at=next_at, last_status_code=outcome.status,
                    last_error=outcome.error, updated_at=now,
                    completed_at=None if status == "pending" else now)
            .execution_options(synchronize_session=False))
        _audit_retry(claimed, outcome, status, next_at)
        _endpoint_health(claimed, outcome.ok, now, window)
    if next_at is not None and not current_app.config["JOBS_INLINE"]:
        _enqueue(claimed["id"], delay, claimed["number"] + 1)
    return "retrying" if status == "pending" else status


def _audit_retry(claimed: dict, outcome: transport.Outcome, status: str,
                 next_at: datetime | None) -> None:
    """Retries are on the record (#13): a retry scheduled after a failed attempt, and the
    outcome of every attempt after the first. First attempts that succeed or fail for
    good are in the delivery log only."""
    result = {"attempt": claimed["number"], "endpoint_id": claimed["endpoint_id"],
              "event_id": claimed["event_id"], "status_code": outcome.status,
              "error": (outcome.error or "")[:200] or None}
    actor = Actor.system("webhooks")
    if claimed["number"] > 1:
        outcome_name = {"pending": "retrying"}.get(status, status)
        audit.record(actor, "webhook_delivery.retried", "webhook_delivery", claimed["id"],
                     after={**result, "outcome": outcome_name})
    if next_at is not None:
        audit.record(actor, "webhook_delivery.retry_scheduled", "webhook_delivery",
                     claimed["id"], after={**result, "next_attempt_at": next_at})


def _endpoint_health(claimed: dict, ok: bool, now: datetime, window: timedelta) -> None:
    endpoint_id = claimed["endpoint_id"]
    if ok:
        db.session.execute(update(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.failing_since.isnot(None))
            .values(failing_since=None).execution_options(synchronize_session=False))
        return
    if claimed["kind"] == "test":
        return  # a partner trying a new receiver out is not the endpoint failing
    db.session.execute(update(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.failing_since.is_(None))
        .values(failing_since=now).execution_options(synchronize_session=False))
    endpoint = db.session.get(WebhookEndpoint, endpoint_id, populate_existing=True)
    if endpoint.enabled and endpoint.failing_since <= now - window:
        disable(endpoint, f"Every delivery failed since {endpoint.failing_since:%Y-%m-%d %H:%M} "
                          "UTC (3 days).", actor=Actor.system("webhooks"), now=now)


def disable(endpoint: WebhookEndpoint, reason: str, *, actor: Actor,
            now: datetime | None = None) -> None:
    """Stop sending to ``endpoint`` and tell its partner (the email follows the commit)."""
    endpoint.enabled = False
    endpoint.disabled_reason = reason[:300]
    endpoint.disabled_at = now or utcnow()
    audit.record(actor, "webhook_endpoint.disable", "webhook_endpoint", endpoint.id,
                 before={"enabled": True}, after={"enabled": False, "reason": reason})
    publish("webhook_endpoint.disabled", {"endpoint_id": str(endpoint.id), "reason": reason})
    db.session.flush()


def sweep_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Hand over deliveries that are due (retries whose job was lost, all retries in the
    embedded default) and those a dead worker left half-sent; returns how many."""
    now = now or utcnow()
    cfg = current_app.config
    stuck = now - timedelta(seconds=cfg["WEBHOOK_TIMEOUT_SECONDS"] + 120)
    # Scheduled jobs go first; the sweep only takes what is late beyond its own interval.
    grace = timedelta(0) if cfg["JOBS_INLINE"] else timedelta(seconds=60)
    with uow.unit_of_work():
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "sending", WebhookDelivery.updated_at < stuck)
            .values(status="pending", next_attempt_at=now, last_error="Worker lost mid-send.")
            .execution_options(synchronize_session=False))
        due = list(db.session.scalars(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == "pending",
                   WebhookDelivery.next_attempt_at <= now - grace)
            .order_by(WebhookDelivery.next_attempt_at).limit(limit)))
    hand_over(due, now=now)
    return len(due)


def event_body(event_id: uuid.UUID, type_: str, created: datetime, sequence: int,
               obj: dict) -> str:
    return orjson.dumps({"id": str(event_id), "type": type_, "created": created.isoformat(),
                         "api_version": current_app.config["API_VERSION"],
                         "sequence": sequence, "data": {"object": obj}}).decode()

