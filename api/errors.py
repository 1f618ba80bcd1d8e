"""One JSON error shape for the whole API: code, status, message, errors, request_id."""
import marshmallow as ma
from flask import request
from werkzeug.exceptions import HTTPException

from app.core.requestid import current_request_id


class ErrorSchema(ma.Schema):
    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    errors = ma.fields.Dict(metadata={"description": "Per-field or per-location details"})
    request_id = ma.fields.String(allow_none=True,
                                  metadata={"description": "Quote this to support"})


def error_payload(error: HTTPException) -> tuple[dict, dict]:
    payload = {"code": error.code, "status": error.name, "message": error.description or error.name}
    headers = {}
    data = getattr(error, "data", None) or {}
    if "message" in data:
        payload["message"] = data["message"]
    if "errors" in data:
        payload["errors"] = data["errors"]
    elif "messages" in data:  # webargs validation errors
        payload["errors"] = data["messages"]
        payload["message"] = "The request is not valid."
    if "headers" in data:
        headers = dict(data["headers"])
    payload["request_id"] = current_request_id()
    response = error.get_response() if error.code == 429 else None
    if response is not None and "Retry-After" in response.headers:
        headers["Retry-After"] = response.headers["Retry-After"]
    return payload, headers


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
