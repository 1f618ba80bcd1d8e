"""HTTP caching of the API, the standard way: an ``ETag`` on every successful GET,
``If-None-Match`` answered 304 without a body, and a ``Cache-Control`` that says who may
keep an answer.

- Lists compute their validator from the rows they read, before rendering
  (``conditional``): a 304 costs the statement, never the JSON.
- Any other GET that set no ETag gets one from its body, after the view (``finish``).
- ``Cache-Control``: the public catalogue ``public, no-cache`` (anyone may store it, and
  must revalidate: with the ETag that costs a 304); a partner's own view of the
  catalogue ``private, no-cache`` (its client may keep it, a shared cache may not);
  every other GET holds personal data (a profile, orders with addresses, invoices) and
  is ``private, no-store``: nothing keeps it on disk, and a client holding it in memory
  can still revalidate with If-None-Match. Everything else is ``no-store`` (writes,
  errors, tokens and secrets shown once). Never a max-age: what a client reads after a
  write must be the write.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Callable

import orjson
from flask import Flask, Response, current_app, g, request

PUBLIC = "public, no-cache"
PRIVATE = "private, no-cache"
PERSONAL = "private, no-store"
NO_STORE = "no-store"


def etag_of(data: bytes) -> str:
    return '"' + hashlib.blake2b(data, digest_size=16).hexdigest() + '"'


def etag_of_rows(rows) -> str:
    """A validator of what a page read: the same rows give the same tag in any process
    (orjson writes datetimes, dates and UUIDs itself; anything else as its text)."""
    return etag_of(orjson.dumps(rows, default=_plain))


def _plain(value):
    # Named tuples and SQLAlchemy rows as their values (their repr is slow, and not data);
    # tuple first: the Sequence ABC check alone costs a microsecond a row.
    return tuple(value) if isinstance(value, (tuple, Sequence)) else str(value)


def matches(etag: str, header: str | None) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, RFC 9110 13.1.2). A header
    that is not a list of entity tags names nothing: the full answer follows."""
    if not header:
        return False
    header = header.strip()
    if header == "*":
        return True
    opaque = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip().removeprefix("W/")
        if candidate == opaque:
            return True
    return False


def public() -> None:
    """This answer is the same for everybody: shared caches may store it."""
    g.cache_control = PUBLIC


def private() -> None:
    """This answer is the caller's, and holds no personal data: its client may store it."""
    g.cache_control = PRIVATE


def conditional(etag: str, render: Callable[[], bytes]) -> Response:
    """200 with ``render()`` as JSON, or 304 when the client holds ``etag`` already."""
    if matches(etag, request.headers.get("If-None-Match")):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(render(), mimetype="application/json")
    response.headers["ETag"] = etag
    return response


def finish(response: Response) -> Response:
    if not request.path.startswith("/api/"):
        return response
    reads = request.method in ("GET", "HEAD")
    if reads and response.status_code == 200 and "ETag" not in response.headers \
            and not response.direct_passthrough and not response.is_streamed:
        response.headers["ETag"] = etag_of(response.get_data())
        if matches(response.headers["ETag"], request.headers.get("If-None-Match")):
            response.status_code = 304
            response.set_data(b"")
            response.headers.pop("Content-Type", None)
    if "Cache-Control" not in response.headers:
        ok = reads and response.status_code in (200, 304)
        response.headers["Cache-Control"] = g.get("cache_control", PERSONAL) if ok else NO_STORE
    if reads:
        # The catalogue answers partners (their key in Authorization) differently.
        response.vary.add("Authorization")
    return response


def init_app(app: Flask) -> None:
    app.after_request(finish)
