"""An autocommit engine for hot read-only lookups (authentication on every request).

A read through the request's session opens a transaction that must be rolled back at
teardown, and switching a pooled connection to autocommit and back costs a round trip
too; connections that are always in autocommit cost neither.
"""
import uuid
from functools import lru_cache

from flask import current_app
from sqlalchemy import Engine, Text, Uuid, cast, create_engine, event


def read_engine(app=None) -> Engine:
    app = app or current_app._get_current_object()
    engine = app.extensions.get("nextgen_read_engine")
    if engine is None:
        # Autocommit connections hold no transaction, so there is nothing to reset on return.
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT",
                               pool_reset_on_return=None, **app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_functions)
        app.extensions["nextgen_read_engine"] = engine
    return engine


def replica_engine(app=None) -> Engine:
    """Where reads that tolerate replication lag go (the public catalogue list): the read
    replica at DATABASE_REPLICA_URL when configured, else the read engine. Never for a
    read that must see the caller's own write (authentication, a page after a change)."""
    app = app or current_app._get_current_object()
    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return read_engine(app)
    engine = app.extensions.get("nextgen_replica_engine")
    if engine is None:
        engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                               **app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        app.extensions["nextgen_replica_engine"] = engine
    return engine


def _sqlite_functions(dbapi_connection, _record):
    # SQLite's LIKE folds ASCII only ("É" != "é"); searches compare ngm_fold() values.
    dbapi_connection.create_function(
        "ngm_fold", 1, lambda s: s.casefold() if isinstance(s, str) else s, deterministic=True)


def _on_driver(sql: str, params: dict, fetch, engine: Engine):
    """Run ``sql`` through the driver directly (PostgreSQL hot paths). SQLAlchemy's event
    listeners for cursor executions still hear of it, so statement counters and tracing
    see this query like any other."""
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            if engine.dispatch.before_cursor_execute:
                engine.dispatch.before_cursor_execute(None, cursor, sql, params, None, False)
            cursor.execute(sql, params)
            return fetch(cursor)
    finally:
        raw.close()  # back to the pool


def _run(stmt, params: dict, fetch, prefix: str = "", replica: bool = False):
    """A constant Core statement (bound parameters only), outside any transaction. On
    PostgreSQL it is compiled once and its rows come from the driver as they are
    (datetimes and JSON typed by psycopg2, UUIDs possibly as text)."""
    engine = replica_engine() if replica else read_engine()
    # Traced (app.tracing): through SQLAlchemy, whose instrumented events need a real
    # connection, which the driver path cannot give them.
    if engine.dialect.name != "postgresql" or "nextgen_tracer_provider" in current_app.extensions:
        with engine.connect() as conn:
            return fetch(conn.execute(stmt, params))
    sql, constants = _compiled(stmt, engine.dialect)
    return _on_driver(prefix + sql, _driver_params({**constants, **params}), fetch, engine)


def first(stmt, params: dict, *, replica: bool = False):
    return _run(stmt, params, lambda result: result.fetchone(), replica=replica)


def all_rows(stmt, params: dict, *, replica: bool = False) -> list:
    return _run(stmt, params, lambda result: result.fetchall(), replica=replica)


def write_without_flush_wait(stmt, params: dict) -> None:
    """A write committed on its own, without waiting for the WAL flush on PostgreSQL (one
    statement string, which PostgreSQL runs as one implicit transaction: SET LOCAL ends
    with it). Only for writes whose loss in a crash is harmless and gets redone; any
    later synchronous commit flushes the WAL past it."""
    _run(stmt, params, lambda result: None, prefix="SET LOCAL synchronous_commit TO OFF; ")


def for_driver(column, dialect: str):
    """``column`` as a statement for the driver path should select it: UUIDs as their text
    on PostgreSQL (psycopg2 builds UUID objects in Python, ~2 us each; a list page holds
    hundreds), as they are elsewhere (SQLite's column type makes them UUIDs)."""
    if dialect == "postgresql" and isinstance(column.type, Uuid):
        return cast(column, Text).label(column.key)
    return column


def _driver_params(params: dict) -> dict:
    """UUIDs (alone or in lists) as text: psycopg2 adapts no UUID unless told to."""
    def adapt(value):
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, list):
            return [adapt(item) for item in value]
        return value
    return {key: adapt(value) for key, value in params.items()}


@lru_cache(maxsize=256)
def _compiled(stmt, dialect) -> tuple[str, dict]:
    """The SQL, and the values of the literals the statement holds (``x > 0`` binds 0)."""
    compiled = stmt.compile(dialect=dialect)
    return str(compiled), {k: v for k, v in compiled.params.items() if v is not None}
