"""The Redis connection, created lazily per app (never at import time)."""
from __future__ import annotations

from flask import current_app
from redis import Redis


def get_redis(app=None) -> Redis | None:
    app = app or current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    conn = app.extensions.get("nextgen_redis")
    if conn is None:
        conn = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        app.extensions["nextgen_redis"] = conn
    return conn
