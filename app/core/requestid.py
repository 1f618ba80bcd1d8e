"""A request id on every request: taken from X-Request-ID when sane, else generated;
echoed in the response, in error bodies, in logs and in audit entries."""
import re
import uuid

from flask import Flask, g, has_request_context, request

_SAFE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str | None:
    if has_request_context():
        return getattr(g, "request_id", None)
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def _assign():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _SAFE.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def _echo(response):
        rid = current_request_id()
        if rid:
            response.headers["X-Request-ID"] = rid
        return response
