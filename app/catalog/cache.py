"""Catalogue read cache (Flask-Caching on Redis, shared by every worker; none embedded,
where the cache is Flask-Caching's NullCache and every read builds).

Keys carry version tokens: ``catalog:lists`` for every list page, ``catalog:pv:<id>`` for
one product. A write replaces the tokens of what it changed *after* commit, so the next
read misses and sees the new rows. Tokens are random, never counters: a token that is
evicted or lost comes back as a new one and can never match an old entry. A reader takes
the token before it queries, so a page built from pre-commit rows is stored under the old
token and never served.

Only the service calls ``invalidate``; views only read through.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Callable, Iterable

from app.extensions import cache

log = logging.getLogger(__name__)

LISTS = "catalog:lists"
# Version tokens must outlive the entries they name (entries live CACHE_DEFAULT_TIMEOUT).
TOKEN_TIMEOUT = 7 * 24 * 3600
_MISS = object()


def _pv(product_id) -> str:
    return f"catalog:pv:{product_id}"


def _token(key: str) -> str:
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=TOKEN_TIMEOUT):  # another reader won: use its token
            token = cache.get(key) or token
    return token


def _read_through(key_of: Callable[[], str], build: Callable[[], object]):
    """The cached value, or build() stored for next time. A cache outage degrades to
    building every time; it never fails the read."""
    try:
        key = key_of()
        value = cache.get(key)
    except Exception as exc:
        log.warning("catalog cache unavailable: %s", exc)
        return build()
    if value is not None:
        return value
    value = build()
    if value is not None:
        try:
            cache.set(key, value)
        except Exception as exc:
            log.warning("catalog cache set failed: %s", exc)
    return value


def enabled() -> bool:
    """Whether a shared cache is configured (Redis); embedded there is none."""
    return type(cache.cache).__name__ != "NullCache"


# Part of every list key: bump it when what ``build`` returns changes shape, so that a
# deploy never reads an entry an older release wrote.
LIST_FORMAT = 2


def list_page(args: bytes, build: Callable[[], object]):
    """A public list page for the canonical (sorted, serialised) query ``args``."""
    digest = hashlib.sha1(args).hexdigest()
    return _read_through(
        lambda: f"catalog:list:{LIST_FORMAT}:{_token(LISTS)}:{digest}", build)


def product(product_id, build: Callable[[], object]):
    """One product's public representation; ``build`` returns None for an unknown id
    (not cached: a later create gets a fresh id anyway)."""
    return _read_through(lambda: f"catalog:product:{product_id}:{_token(_pv(product_id))}", build)


def invalidate(product_ids: Iterable = (), *, lists: bool = True) -> None:
    """Forget what a committed write changed. Called by app.catalog.service after commit
    (and by any other service that changes products, e.g. stock reservations)."""
    keys = [_pv(pid) for pid in product_ids]
    try:
        if keys:
            cache.delete_many(*keys)
        if lists:
            cache.set(LISTS, uuid.uuid4().hex, timeout=TOKEN_TIMEOUT)
    except Exception:
        # The rows are committed; entries age out after CACHE_DEFAULT_TIMEOUT at worst.
        log.exception("catalog cache invalidation failed")
