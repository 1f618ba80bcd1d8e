"""Where the real servers are, and whether a test may skip when one is missing."""
from __future__ import annotations

import os

import pytest
import redis
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
# Under pytest-xdist each worker process (gw0, gw1, ...) gets its own database and Redis
# database, so no test sees another's rows, keys or queues.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_INDEX = int(_WORKER[2:]) if _WORKER[2:].isdigit() else 0
PG_TEST_DB = os.environ.get("TEST_POSTGRES_DB", "ngm_test") + (f"_{_WORKER}" if _WORKER else "")


def _redis_url(base: str) -> str:
    prefix, _, number = base.rpartition("/")
    if not _WORKER or not number.isdigit():
        return base
    return f"{prefix}/{(int(number) + _INDEX) % 16}"


REDIS_URL = _redis_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"))
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pg_url(dbname: str = PG_TEST_DB) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname


def postgres_available() -> str | None:
    """None when reachable, else the reason."""
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means: not here
        return f"PostgreSQL unreachable at {PG_ADMIN_URL}: {type(exc).__name__}"


def redis_available() -> str | None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return None
    except Exception as exc:
        return f"Redis unreachable at {REDIS_URL}: {type(exc).__name__}"


def need(reason: str | None) -> None:
    """Skip for a missing server on a laptop; fail in CI (REQUIRE_SERVICES=1)."""
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)
