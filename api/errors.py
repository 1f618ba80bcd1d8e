"""One JSON error shape for the whole API: code, status, message, errors, request_id.

Every error answered under /api/ goes through :func:`error_response`: HTTP exceptions
(``abort``, webargs validation, routing 404/405, 413, rate limits) via the Api's
handler, domain errors (``app.core.errors.DomainError``) via the app's handler.
"""
from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from flask import request
from werkzeug.exceptions import HTTPException

from app.core.errors import DomainError
from app.core.requestid import current_request_id


class ApiErrorSchema(ma.Schema):
    """Named ApiError in the spec: "Error" clashes with the built-in type of the
    languages SDKs are generated for (openapi-generator renames it, with a warning)."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code",
                                                      "example": 422})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status name",
                                                       "example": "Unprocessable Entity"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong",
                                                        "example": "The request is not valid."})
    errors = ma.fields.Dict(metadata={
        "description": "Per-field or per-location details",
        "example": {"json": {"lines": {"0": {"quantity": ["Must be between 1 and 1000."]}}}}})
    request_id = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "Quote this to support", "example": "b7e2c1d4a9f84d0c"})


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_body(status: int, message: str | None = None, errors: dict | None = None) -> dict:
    phrase = HTTPStatus(status).phrase
    body = {"code": status, "status": phrase, "message": message or phrase}
    if errors:
        body["errors"] = errors
    body["request_id"] = current_request_id()
    return body


def http_error_response(error: HTTPException) -> tuple[dict, int, dict]:
    """(body, status, headers) for a werkzeug HTTPException, e.g. from ``abort``."""
    data = getattr(error, "data", None) or {}
    message = data.get("message") or error.description or error.name
    errors = data.get("errors")
    if errors is None and "messages" in data:  # webargs validation errors
        errors = data["messages"]
        message = "The request is not valid."
    # Headers the exception carries itself (Allow on 405, WWW-Authenticate, Retry-After),
    # then any passed to abort(headers=...); the body is always JSON.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    body = error_body(error.code, message, errors)
    body["status"] = error.name
    return body, error.code, headers


def domain_error_response(exc: DomainError) -> tuple[dict, int, dict]:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    return error_body(exc.status, exc.message, exc.errors), exc.status, headers
