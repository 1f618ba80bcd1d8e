"""An autocommit engine for hot read-only lookups (authentication on every request).

A read through the request's session opens a transaction that must be rolled back at
teardown, and switching a pooled connection to autocommit and back costs a round trip
too; connections that are always in autocommit cost neither.
"""
from flask import current_app
from sqlalchemy import Engine, create_engine, event


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


def _sqlite_functions(dbapi_connection, _record):
    # SQLite's LIKE folds ASCII only ("É" != "é"); searches compare ngm_fold() values.
    dbapi_connection.create_function(
        "ngm_fold", 1, lambda s: s.casefold() if isinstance(s, str) else s, deterministic=True)


def fetch_one(sql: str, params: dict):
    """One row through the driver directly (PostgreSQL hot paths). SQLAlchemy's event
    listeners for cursor executions still hear of it, so statement counters and tracing
    see this query like any other."""
    engine = read_engine()
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            if engine.dispatch.before_cursor_execute:
                engine.dispatch.before_cursor_execute(None, cursor, sql, params, None, False)
            cursor.execute(sql, params)
            return cursor.fetchone()
    finally:
        raw.close()  # back to the pool
