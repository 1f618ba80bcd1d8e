"""What an adapter renders of a product, kept in this process by row version.

A rendering is keyed by the product's id and PostgreSQL row version (xmin), which every
write to the row changes, whatever path it takes (the service, a stock reservation, SQL
by hand): a changed product has a new key, so a kept rendering is never stale and is
never invalidated; it is only pushed out (first in, first out) or dropped with the whole
map every ``MAX_AGE_SECONDS``. The age bound is what makes a version safe to trust: a
transaction id could only come round again after ~2 billion transactions.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

LOCAL_MAX = 20_000  # renderings of ~0.5 KB: ~10 MB per process at most
MAX_AGE_SECONDS = 600

_local: dict = {}  # (id, version) -> rendering; insertion-ordered, the oldest go first
_lock = threading.Lock()
_epoch = [0]


def rendered(items: list, render: Callable[[list], dict]) -> list:
    """The renderings of ``items`` (rows with ``id`` and ``version``), in their order:
    kept ones, and for the others ``render(ids)`` -> {id: (version, rendering)} of the
    products as they are now (then kept). A product deleted meanwhile is left out."""
    _expire()
    local = _local
    found = [local.get((row.id, row.version)) for row in items]
    missing = [row.id for row, value in zip(items, found) if value is None]
    if not missing:
        return found
    fresh = render(missing)
    with _lock:
        for ident, (version, value) in fresh.items():
            local[(ident, version)] = value
        excess = len(local) - LOCAL_MAX
        if excess > 0:
            for key in list(local)[:excess]:
                del local[key]
    return [value if value is not None else fresh[row.id][1]
            for row, value in zip(items, found)
            if value is not None or row.id in fresh]


def _expire() -> None:
    epoch = int(time.monotonic() // MAX_AGE_SECONDS)
    if epoch != _epoch[0]:
        with _lock:
            _local.clear()
            _epoch[0] = epoch
