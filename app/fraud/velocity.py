"""Velocity counters: how many orders and failed payments a customer, an email, an IP or
a card fingerprint had within a window, shared by every process through Redis.

Each (counter, dimension, value) is a sorted set of event ids scored by time: adding the
same id twice counts once (a retried job never counts twice), the window is exact
(ZCOUNT over scores), and members older than the longest window are trimmed on write.
Without REDIS_URL (the embedded default) the same structure lives in this process.
"""
from __future__ import annotations

import threading
import time
from typing import Protocol

from flask import current_app

from app.core.redis import get_redis

COUNTERS = ("orders", "failed_payments")
DIMENSIONS = ("customer", "email", "ip", "card")
WINDOWS = {"1h": 3600, "24h": 86400, "7d": 7 * 86400}
_LONGEST = max(WINDOWS.values())
PREFIX = "fraud:v"


def attribute_names() -> list[str]:
    """``orders_per_ip_1h``, ``failed_payments_per_card_24h``, ...: what rules read."""
    return [f"{c}_per_{d}_{w}" for c in COUNTERS for d in DIMENSIONS for w in WINDOWS]


class Store(Protocol):
    def add(self, keys: list[str], member: str, at: float) -> None: ...
    def counts(self, keys: list[str], now: float) -> dict[str, dict[str, int]]: ...


def _key(counter: str, dimension: str, value: str) -> str:
    return f"{PREFIX}:{counter}:{dimension}:{value.lower()}"


class RedisStore:
    def __init__(self, conn):
        self.conn = conn

    def add(self, keys: list[str], member: str, at: float) -> None:
        with self.conn.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.zadd(key, {member: at})
                pipe.zremrangebyscore(key, "-inf", max(at, time.time()) - _LONGEST)
                pipe.expire(key, _LONGEST + 60)
            pipe.execute()

    def counts(self, keys: list[str], now: float) -> dict[str, dict[str, int]]:
        # Every counter of a check in one round trip.
        with self.conn.pipeline(transaction=False) as pipe:
            for key in keys:
                for seconds in WINDOWS.values():
                    pipe.zcount(key, now - seconds, "+inf")
            found = iter(pipe.execute())
        return {key: {w: int(next(found)) for w in WINDOWS} for key in keys}


class MemoryStore:
    """One process's counters (embedded default; nothing to share with)."""

    def __init__(self):
        self.sets: dict[str, dict[str, float]] = {}
        self.lock = threading.Lock()

    def add(self, keys: list[str], member: str, at: float) -> None:
        with self.lock:
            for key in keys:
                members = self.sets.setdefault(key, {})
                members.setdefault(member, at)
                cutoff = max(at, time.time()) - _LONGEST
                for old in [m for m, t in members.items() if t < cutoff]:
                    del members[old]

    def counts(self, keys: list[str], now: float) -> dict[str, dict[str, int]]:
        with self.lock:
            return {key: {w: sum(1 for t in self.sets.get(key, {}).values() if t >= now - s)
                          for w, s in WINDOWS.items()} for key in keys}


def store(app=None) -> Store:
    app = app or current_app._get_current_object()
    conn = get_redis(app)
    if conn is not None:
        return RedisStore(conn)
    return app.extensions.setdefault("nextgen_fraud_velocity", MemoryStore())


def _keys(counter: str, identities: dict[str, str | None]) -> list[str]:
    return [_key(counter, dim, str(value)) for dim, value in identities.items()
            if dim in DIMENSIONS and value]


def record(counter: str, member: str, identities: dict[str, str | None],
           at: float | None = None) -> None:
    """Count ``member`` (an order or payment id) once for each known identity."""
    keys = _keys(counter, identities)
    if keys:
        store().add(keys, member, time.time() if at is None else at)


def read(identities: dict[str, str | None], now: float | None = None) -> dict[str, int]:
    """Every velocity attribute for these identities (0 for an unknown identity)."""
    now = time.time() if now is None else now
    wanted = {(c, d): _key(c, d, str(identities[d])) for c in COUNTERS for d in DIMENSIONS
              if identities.get(d)}
    found = store().counts(list(wanted.values()), now) if wanted else {}
    out = {}
    for c in COUNTERS:
        for d in DIMENSIONS:
            key = wanted.get((c, d))
            for w in WINDOWS:
                out[f"{c}_per_{d}_{w}"] = found[key][w] if key else 0
    return out
