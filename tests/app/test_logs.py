"""Structured logs (python-json-logger) with the request id and actor, in requests and in
the jobs a request enqueued (their meta carries both)."""
from __future__ import annotations

import io
import json
import logging

from app.audit import service as audit
from app.core.actor import Actor
from app.core.requestid import job_origin
from app.extensions import db
from app.logs import RequestContextFilter, json_formatter


def _capture():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(json_formatter())
    logger = logging.getLogger("nextgen.test.logs")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_a_log_line_in_a_request_is_json_with_its_request_id(app):
    logger, stream = _capture()
    with app.test_request_context("/x", headers={"X-Request-ID": "caller-7"}):
        app.preprocess_request()
        from flask import g

        logger.info("hello <%s>", "Zoë")
        line = json.loads(stream.getvalue())
        assert line["msg"] == "hello <Zoë>" and line["level"] == "INFO"
        assert line["request_id"] == g.request_id and line["client_request_id"] == "caller-7"
        assert line["actor"] == "-"


def test_a_job_logs_and_audits_with_the_request_that_enqueued_it(app):
    logger, stream = _capture()
    with job_origin({"request_id": "req-123", "actor": "staff:42"}):
        logger.warning("in a job")
        entry = audit.record(Actor.system("job"), "thing.do", "thing", "1")
        db.session.commit()
    line = json.loads(stream.getvalue())
    assert (line["request_id"], line["actor"]) == ("req-123", "staff:42")
    assert entry.request_id == "req-123"
    logger.info("after the job")
    assert json.loads(stream.getvalue().splitlines()[-1])["request_id"] == "-"


def test_an_exception_is_one_json_line(app):
    logger, stream = _capture()
    try:
        raise ValueError("bad")
    except ValueError:
        logger.exception("failed")
    [line] = stream.getvalue().splitlines()
    assert "ValueError: bad" in json.loads(line)["exc"]
