"""What an adapter renders of a row, kept in this process by row version.

A rendering is keyed by the row's id and PostgreSQL row version (xmin), which every
write to the row changes, whatever path it takes (a service, a guarded UPDATE, SQL by
hand): a changed row has a new key, so a kept rendering is never stale and is never
invalidated; it is only pushed out (first in, first out) or dropped with the whole map
every ``max_age`` seconds. The age bound is what makes a version safe to trust: a
transaction id could only come round again after ~2 billion transactions.
"""
from __future__ import annotations

import threading
import time
from typing import Callable


class Renderings:
    def __init__(self, max_entries: int, max_age: int = 600):
        self.max_entries = max_entries
        self.max_age = max_age
        self._local: dict = {}  # (id, version) -> rendering; the oldest first
        self._lock = threading.Lock()
        self._epoch = 0

    def of(self, items: list, render: Callable[[list], dict], key=None) -> list:
        """The renderings of ``items`` (rows whose first two values are id and version,
        or ``key(row)`` -> (id, version)), in their order: kept ones, and for the others
        ``render(ids)`` -> {id: (version, rendering)} of the rows as they are now (then
        kept). A row deleted meanwhile is left out."""
        self._expire()
        keys = [key(row) for row in items] if key else [(row[0], row[1]) for row in items]
        local = self._local
        found = [local.get(k) for k in keys]
        missing = [k[0] for k, value in zip(keys, found) if value is None]
        if not missing:
            return found
        fresh = render(missing)
        with self._lock:
            for ident, (version, value) in fresh.items():
                local[(ident, version)] = value
            excess = len(local) - self.max_entries
            if excess > 0:
                for old in list(local)[:excess]:
                    del local[old]
        return [value if value is not None else fresh[k[0]][1]
                for k, value in zip(keys, found) if value is not None or k[0] in fresh]

    def clear(self) -> None:
        with self._lock:
            self._local.clear()

    def _expire(self) -> None:
        epoch = int(time.monotonic() // self.max_age)
        if epoch != self._epoch:
            with self._lock:
                self._local.clear()
                self._epoch = epoch
