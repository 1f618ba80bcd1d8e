"""What an adapter renders of orders' fixed parts, kept: in this process (bounded,
first in first out), then in the app cache (SimpleCache embedded, Redis in production,
shared by every worker).

The fixed parts of a placed order never change (``app.orders.models`` refuses it), so an
entry keyed by order id never goes stale and is never invalidated; it only expires or is
pushed out, so that neither memory keeps every order ever listed. ``FORMAT`` is part of
the key: bump it when the rendering changes, and old entries are never read again.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from app.extensions import cache

log = logging.getLogger(__name__)

FORMAT = 2
TIMEOUT = 24 * 3600
LOCAL_MAX = 20_000  # renderings of ~1 KB: ~20 MB per process at most

_local: dict = {}  # insertion-ordered: the oldest entries go first
_lock = threading.Lock()


def _key(order_id) -> str:
    return f"order:fixed:{FORMAT}:{order_id}"


def fixed(ids: list, render: Callable[[list], dict]) -> dict:
    """{id: rendering} for ``ids``: kept ones, and ``render(missing ids)`` for the rest
    (then kept). A cache outage degrades to rendering; it never fails the read."""
    local = _local
    found = {i: local[k] for i in ids if (k := _key(i)) in local}
    if len(found) == len(ids):
        return found
    missing = [i for i in ids if i not in found]
    try:
        shared = dict(zip(missing, cache.get_many(*(_key(i) for i in missing))))
    except Exception as exc:
        log.warning("order cache unavailable: %s", exc)
        shared = {}
    made = {i: value for i, value in shared.items() if value is not None}
    absent = [i for i in missing if i not in made]
    if absent:
        rendered = render(absent)
        try:
            cache.set_many({_key(i): value for i, value in rendered.items()}, timeout=TIMEOUT)
        except Exception as exc:
            log.warning("order cache set failed: %s", exc)
        made.update(rendered)
    _remember(made)
    found.update(made)
    return found


def _remember(values: dict) -> None:
    with _lock:
        for i, value in values.items():
            _local[_key(i)] = value
        excess = len(_local) - LOCAL_MAX
        if excess > 0:
            for key in list(_local)[:excess]:
                del _local[key]
