"""Logging: JSON lines (python-json-logger) in production, plain text in development,
each record carrying the request id, the caller's own request id and the actor; in a job,
those of the request that enqueued it (app.core.requestid)."""
import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from app.core.requestid import current_actor_ref, current_client_request_id, current_request_id

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(actor)s"
RENAMED = {"asctime": "ts", "levelname": "level", "name": "logger", "message": "msg",
           "exc_info": "exc"}


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        record.actor = current_actor_ref() or "-"
        client_id = current_client_request_id()
        if client_id:
            record.client_request_id = client_id
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(JSON_FIELDS, rename_fields=RENAMED, json_ensure_ascii=False)


def init_app(app):
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestContextFilter())
    if app.config["LOG_JSON"]:
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s [%(request_id)s %(actor)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "_nextgen", False)]
    handler._nextgen = True
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
