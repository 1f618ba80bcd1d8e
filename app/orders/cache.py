"""What an adapter renders of orders' fixed parts, kept (Flask-Caching: SimpleCache
embedded, Redis in production).

The fixed parts of a placed order never change (``app.orders.models`` refuses it), so an
entry keyed by order id never goes stale and is never invalidated; it only expires, so
that Redis does not keep every order ever listed. ``FORMAT`` is part of the key: bump it
when the rendering changes, and old entries are simply never read again.
"""
from __future__ import annotations

import logging
from typing import Callable

from app.extensions import cache

log = logging.getLogger(__name__)

FORMAT = 1
TIMEOUT = 24 * 3600


def _key(order_id) -> str:
    return f"order:fixed:{FORMAT}:{order_id}"


def fixed(ids: list, render: Callable[[list], dict]) -> dict:
    """{id: rendering} for ``ids``: kept ones, and ``render(missing ids)`` for the rest
    (then kept). A cache outage degrades to rendering every time; it never fails."""
    keys = [_key(i) for i in ids]
    try:
        kept = cache.get_many(*keys)
    except Exception as exc:
        log.warning("order cache unavailable: %s", exc)
        return render(list(ids))
    found = {i: value for i, value in zip(ids, kept) if value is not None}
    missing = [i for i in ids if i not in found]
    if missing:
        made = render(missing)
        found.update(made)
        try:
            cache.set_many({_key(i): value for i, value in made.items()}, timeout=TIMEOUT)
        except Exception as exc:
            log.warning("order cache set failed: %s", exc)
    return found
