"""Operator endpoints: liveness, readiness, Prometheus metrics."""
import hmac
import ipaddress
import time

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy import text

from app import metrics as app_metrics
from app.core.redis import get_redis
from app.extensions import db

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    checks, ok = {}, True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # report, do not raise: this endpoint exists to say what failed
        db.session.rollback()
        checks["database"] = f"unreachable: {type(exc).__name__}"
        ok = False
    if current_app.config.get("REDIS_URL"):
        try:
            get_redis().ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
            ok = False
    # Production without SMTP would "send" nothing: say so here rather than lose mail.
    mail = current_app.config["MAIL_BACKEND"]
    checks["email"] = "ok" if mail != "unconfigured" else "unconfigured: set SMTP_HOST"
    ok = ok and mail != "unconfigured"
    return {"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503


def _metrics_allowed() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        client = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(client in net for net in current_app.config["METRICS_ALLOWED_NETWORKS"])


@bp.get("/metrics")
def metrics():
    # Per-endpoint counts by status tell an attacker what is there and what fails.
    if not _metrics_allowed():
        if current_app.config["METRICS_TOKEN"]:
            return Response("Unauthorized\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                            mimetype="text/plain")
        return Response("Forbidden\n", 403, mimetype="text/plain")
    body, content_type = app_metrics.exposition(current_app._get_current_object())
    return Response(body, content_type=content_type)


def init_app(app):
    app.register_blueprint(bp)

    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.get("_started")
        app_metrics.observe_request(request.method, request.endpoint or "unmatched",
                                    response.status_code,
                                    time.perf_counter() - started if started is not None else None)
        return response
