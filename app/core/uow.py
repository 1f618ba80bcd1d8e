"""One unit of work per runner (request, admin action, job, CLI command).

Services change rows and flush; only a runner commits, once, and then hands over what
the commit made true: the outbox events and the after-commit callbacks. So two services
called by one runner share a transaction, and a refusal writes nothing.
"""
from __future__ import annotations

import contextlib
import logging
from typing import Callable

from flask import g
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)

# On flask.g: the app context is the session's scope (Flask-SQLAlchemy), and keeping the
# depth there lets a runner that never touches the session (a read through the read
# engine) go without one: no Session built, committed and removed per request.
_DEPTH = "nextgen_uow_depth"
# {bucket: [items]}: what the open transaction will have made true once it commits
# (outbox event ids, after-commit callbacks), then what the last commit made true.
_PENDING = "nextgen_after_commit_pending"
_READY = "nextgen_after_commit_ready"


def commit() -> None:
    """Commit, then dispatch the events and run the callbacks of what was committed."""
    if not db.session.registry.has():
        return  # no session: nothing written, nothing committed before to hand over
    session = db.session()
    # A runner that wrote nothing (most reads: they go through the read engine) has no
    # transaction: committing would begin one only to end it, at every request.
    if session.in_transaction() or session.info.get(_PENDING):
        session.commit()
    run_committed()


def run_committed() -> None:
    from app.events.dispatch import dispatch_committed

    # Callbacks first: inline handlers run by the dispatch must see fresh cache tokens.
    for callback in take("callbacks"):
        try:
            callback()
        except Exception:  # the commit stands; a callback is best effort by contract
            log.exception("after-commit callback failed")
    dispatch_committed()


def rollback() -> None:
    """Undo the current operation: back to the runner's savepoint when it set one (the
    idempotency record around an action survives), else the whole transaction."""
    nested = db.session().get_nested_transaction()
    if nested is not None and nested.is_active:
        nested.rollback()
    else:
        _rollback()


def _rollback() -> None:
    if not db.session.registry.has():
        return  # nothing begun, nothing deferred
    db.session.rollback()
    # Also when no transaction had begun, so SQLAlchemy announced no rollback.
    db.session.info.pop(_PENDING, None)


def defer(bucket: str, item) -> None:
    """Keep ``item`` until the current transaction commits (then ``take(bucket)`` hands it
    over); a rollback forgets it."""
    db.session.info.setdefault(_PENDING, {}).setdefault(bucket, []).append(item)


def take(bucket: str) -> list:
    """What committed transactions deferred in ``bucket``, once."""
    if not db.session.registry.has():
        return []
    return db.session.info.get(_READY, {}).pop(bucket, [])


def after_commit(callback: Callable[..., object], *args, **kwargs) -> None:
    """Run ``callback`` once the current transaction has committed; forgotten on rollback.
    For effects outside the database that must not precede the commit (cache tokens)."""
    defer("callbacks", lambda: callback(*args, **kwargs))


@contextlib.contextmanager
def unit_of_work():
    """Commit once when the block ends normally; roll back when it raises. Nested uses
    join the outermost, which alone commits."""
    depth = g.get(_DEPTH, 0)
    setattr(g, _DEPTH, depth + 1)
    try:
        yield
    except BaseException as exc:
        setattr(g, _DEPTH, depth)
        if depth == 0:
            if getattr(exc, "keep_writes", False):
                commit()
            else:
                _rollback()
        raise
    # Restored before committing: handlers run inline by the commit are runners too.
    setattr(g, _DEPTH, depth)
    if depth == 0:
        commit()


@sa_event.listens_for(Session, "after_commit")
def _committed(session):
    pending = session.info.pop(_PENDING, None)
    ready = session.info.setdefault(_READY, {})
    for bucket, items in (pending or {}).items():
        ready.setdefault(bucket, []).extend(items)


@sa_event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if not session.in_transaction():
        session.info.pop(_PENDING, None)
