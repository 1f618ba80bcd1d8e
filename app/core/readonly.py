"""An autocommit engine for hot read-only lookups (authentication on every request).

A read through the request's session opens a transaction that must be rolled back at
teardown, and switching a pooled connection to autocommit and back costs a round trip
too; connections that are always in autocommit cost neither.
"""
from flask import current_app
from sqlalchemy import Engine, create_engine


def read_engine(app=None) -> Engine:
    app = app or current_app._get_current_object()
    engine = app.extensions.get("nextgen_read_engine")
    if engine is None:
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT",
                               **app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        app.extensions["nextgen_read_engine"] = engine
    return engine
