"""The application factory: one Flask app serving the API, the back office and jobs."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module


def create_app(overrides: dict | None = None, env: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(config_module.load(env))
    if overrides:
        app.config.update(overrides)

    from app import logs, ops, models  # noqa: F401  (models: every table registered)
    from app.core import rate_limits, requestid, security_headers
    from app.core.jsonload import StrictJSONProvider
    from app.core.text import tolerant_json_loads
    from app.core.migrations import include_object
    from app.core.sessions import BackOfficeSessionInterface
    from app.core.uow import run_committed
    from app.extensions import babel, cache, csrf, db, limiter, migrate

    if app.config["TRUSTED_PROXIES"]:
        # request.remote_addr (rate limits, audit, staff sessions) is then the client's
        # address as the trusted proxies saw it, however long a forged chain it sent.
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0)
    app.session_interface = BackOfficeSessionInterface()
    app.json = StrictJSONProvider(app)  # request.get_json(): depth-bounded, strict
    logs.init_app(app)
    requestid.init_app(app)
    security_headers.init_app(app)
    # Rows stored before the text rule may hold lone surrogates: read them renderable.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "json_deserializer": tolerant_json_loads, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.BASE_DIR / "migrations"),
                     render_as_batch=True, compare_type=True, include_object=include_object)
    csrf.init_app(app)
    cache.init_app(app)
    rate_limits.init_app(app)  # before the limiter: its hook then runs after the limiter's
    babel.init_app(app)  # message catalogues of app/notifications
    limiter.init_app(app)
    ops.init_app(app)

    @app.teardown_request
    def _dispatch_leftovers(exc):
        # What a commit outside app.core.uow.commit() made true is still handed over
        # (Flask-Admin's own model writes commit themselves).
        if exc is None and db.session.registry.has():  # no session, nothing committed
            run_committed()

    import api
    import admin
    from app import live
    from app.cli import register as register_cli

    api.init_app(app)
    admin.init_app(app)
    live.init_app(app)
    register_cli(app)
    from app import tracing

    tracing.init_app(app)
    return app
