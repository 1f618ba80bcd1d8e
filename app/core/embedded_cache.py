"""The embedded (no Redis) cache: Flask-Caching's SimpleCache with a pruning that costs
what it evicts.

cachelib's SimpleCache, once full, scans every entry for expired ones and then sorts all
of them to drop a single one, on every write, under its lock: at the default 5,000
entries each cache miss then paid milliseconds. Here a full cache drops its oldest tenth
(first written first; dicts keep insertion order) in one go, so writes stay O(1) amortised.
"""
from __future__ import annotations

import itertools

from flask_caching.backends.simplecache import SimpleCache


class BoundedSimpleCache(SimpleCache):
    def _prune(self) -> None:
        size, threshold = len(self._cache), self._threshold
        if size <= threshold:
            return
        evict = size - threshold + max(1, threshold // 10)
        for key in list(itertools.islice(self._cache, evict)):
            self._cache.pop(key, None)
