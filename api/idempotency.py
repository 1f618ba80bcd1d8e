"""`Idempotency-Key` for POSTs that create money movements: the adapter side.

The storage and the rules (same key + same body -> first answer; another body -> 422;
concurrent -> wait for the first, then its answer) live in app.idempotency; this turns
answers into HTTP responses.
"""
from __future__ import annotations

from typing import Callable

import orjson
from flask import Response, request

from api.errors import domain_error_response
from app.core import uow
from app.core.errors import DomainError
from app.extensions import db
from app.idempotency import service as idempotency

HEADER = "Idempotency-Key"
HEADER_DOC = {
    "name": HEADER, "in": "header", "required": False,
    "description": "Retry-safe creation: the same key with the same body returns the first "
                   "response (24 h), marked with `Idempotent-Replayed: true`; with another "
                   "body it is refused (422).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "example": "5f0c6b2e-order-2026-03-01-0001",
}
# Stripe's name for it; the issue says "Idempotency-Replayed", clients already read this.
REPLAYED = "Idempotent-Replayed"
REPLAYED_DOC = {
    "description": "`true` when this is the stored answer to an earlier request with the "
                   "same Idempotency-Key (nothing was done again); absent otherwise.",
    "schema": {"type": "string", "enum": ["true"]},
}


def json_response(body: dict, status: int, **headers) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json",
                    headers=headers)


def run(principal_ref: str, operation: str, payload, action: Callable[[], object],
        dump: Callable[[object], dict], status: int = 201) -> Response:
    """The claim, the action and the stored answer join the request's unit of work, which
    commits them together after this returns (and rolls all back if anything raises)."""
    key = request.headers.get(HEADER)
    if key is None:
        return json_response(dump(action()), status)
    started = idempotency.begin(principal_ref, key, operation, payload)
    if isinstance(started, idempotency.Replay):
        return json_response(started.body, started.status, **{REPLAYED: "true"})
    savepoint = db.session.begin_nested()
    try:
        body = dump(action())
    except DomainError as exc:
        # A refusal is an answer too: its writes go, the claim stays and stores it.
        if savepoint.is_active:
            savepoint.commit() if exc.keep_writes else savepoint.rollback()
        error_body, status_code, headers = domain_error_response(exc)
        idempotency.complete(started, status_code, error_body)
        return json_response(error_body, status_code, **headers)
    if savepoint.is_active:
        savepoint.commit()
    idempotency.complete(started, status, body)
    return json_response(body, status)


def run_around_gateway(principal_ref: str, operation: str, payload, *,
                       prepare: Callable[[bool], object], perform: Callable[[object, bool], object],
                       dump: Callable[[object], dict], resume_after, status: int = 201) -> Response:
    """For work that calls a payment gateway, so no transaction stays open across it:
    transaction 1 commits the claim with what ``prepare`` wrote (a pending row); then
    ``perform`` calls the gateway and records its answer, which commits with the stored
    answer (transaction 2, the request's unit of work).

    Meanwhile the same key answers 409 (in progress); a claim left in progress by a
    process that died after the gateway call is taken over by a retry after
    ``resume_after``, and the repeated call is harmless because ``perform`` keys it by
    the row ``prepare`` made, which the retry finds again. ``prepare`` and ``perform``
    are told whether the request can be retried under its key."""
    key = request.headers.get(HEADER)
    started = None
    if key is not None:
        started = idempotency.begin(principal_ref, key, operation, payload,
                                    resume_after=resume_after)
        if isinstance(started, idempotency.Replay):
            return json_response(started.body, started.status, **{"Idempotent-Replayed": "true"})
    savepoint = db.session.begin_nested()
    try:
        prepared = prepare(started is not None)
    except DomainError as exc:
        if savepoint.is_active:
            savepoint.rollback()
        return _gateway_refusal(started, exc)
    if savepoint.is_active:
        savepoint.commit()
    uow.commit()
    try:
        body = dump(perform(prepared, started is not None))
    except DomainError as exc:  # what the gateway said is recorded: those writes stay
        return _gateway_refusal(started, exc)
    if started is not None:
        idempotency.complete(started, status, body)
    return json_response(body, status)


def _gateway_refusal(started, exc: DomainError) -> Response:
    body, status, headers = domain_error_response(exc)
    if started is not None:
        if status >= 500:  # never stored: the client retries the same key
            idempotency.release(started)
        else:
            idempotency.complete(started, status, body)
    return json_response(body, status, **headers)
