"""Logging: JSON lines with the request id in production, plain text in development."""
import json
import logging
import sys

from app.core.requestid import current_client_request_id, current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        record.client_request_id = current_client_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        data = {"ts": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "msg": record.getMessage(), "request_id": getattr(record, "request_id", "-")}
        if getattr(record, "client_request_id", None):
            data["client_request_id"] = record.client_request_id
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data)


def init_app(app):
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if app.config["LOG_JSON"]:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "_nextgen", False)]
    handler._nextgen = True
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
