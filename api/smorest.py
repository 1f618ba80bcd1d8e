"""flask-smorest wrapped once: the Api with our error shape, and a Blueprint that
enforces and documents authentication."""
from __future__ import annotations

import functools
import os
import signal

import flask
import flask_smorest
from flask import current_app, request
from flask_smorest.pagination import PaginationMetadataSchema

from api import enums, idempotency
from api.errors import ApiErrorSchema, http_error_response, wants_json
from api.examples import REQUEST, RESPONSE, body_example
from api.naming import (
    operation_id, path_parameter_description, resource_tag, url_variables,
)
from api.parser import Parser, amount_fields
from api.security import current_principal
from app.core.errors import PermissionDenied
from app.core.jsonload import MAX_DEPTH
from app.core.uow import unit_of_work

USER = "bearerAuth"
API_KEY = "apiKeyAuth"

RETRY_AFTER = {"description": "Seconds to wait before trying again",
               "schema": {"type": "integer", "minimum": 0}, "example": 30}
# The 429 every operation may answer (app/core/rate_limits.py: a budget per client, plus
# the stricter limits of sign-in and sign-up), with the headers of draft-ietf-httpapi-
# ratelimit-headers. Components, so the spec says it once.
TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
RATE_LIMIT_HEADERS = {
    "Retry-After": RETRY_AFTER,
    "RateLimit-Limit": {"description": "Requests allowed in the current window",
                        "schema": {"type": "integer", "minimum": 0}, "example": 200},
    "RateLimit-Remaining": {"description": "Requests left in the current window",
                            "schema": {"type": "integer", "minimum": 0}, "example": 0},
    "RateLimit-Reset": {"description": "Seconds until the current window resets",
                        "schema": {"type": "integer", "minimum": 0}, "example": 1},
    "RateLimit-Policy": {"description": "The limit and its window in seconds "
                                        "(`200;w=2`: 200 requests per 2 seconds)",
                         "schema": {"type": "string"}, "example": "200;w=2"},
}


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ApiErrorSchema

    def _init_spec(self, *args, **kwargs):
        super()._init_spec(*args, **kwargs)
        enums.register(self.spec)
        self.ma_plugin.converter.add_attribute_function(enums.enum2ref)
        for name, header in RATE_LIMIT_HEADERS.items():
            self.spec.components.header(name, header, lazy=True)
        self.spec.components.response(TOO_MANY_REQUESTS, {
            "description": "Too many requests from this client (API key, user, else address); "
                           "retry after Retry-After seconds",
            "headers": {name: name for name in RATE_LIMIT_HEADERS},
            "content": {"application/json": {"schema": ApiErrorSchema}}}, lazy=True)

    def handle_http_exception(self, error):
        if not wants_json():  # back-office pages keep Flask's HTML error pages
            return error
        return http_error_response(error)

    def register_blueprint(self, blp, *, parameters=None, **options):
        super().register_blueprint(blp, parameters=parameters, **options)
        # Tags for the other resources a blueprint serves (naming.resource_tag).
        for name, description in getattr(blp, "other_resources", {}).items():
            self.spec.tag({"name": name, "description": description})

    def _register_pagination_header(self):
        # flask-smorest's X-Pagination header is a JSON document; say so with `content`
        # (its default `schema: object` makes header validators such as schemathesis
        # reject the string they receive). Registered lazily: only emitted when used.
        self.spec.components.header("PAGINATION", {
            "description": "Pagination metadata (JSON)",
            "content": {"application/json": {"schema": PaginationMetadataSchema}},
        }, lazy=True)


def _crash_if_asked(moment: str) -> None:
    # Testing only (config refuses it elsewhere): a worker dying at the worst moments.
    if current_app.config["TEST_CRASH_HOOK"] and request.headers.get("X-Test-Crash") == moment:
        os.kill(os.getpid(), signal.SIGKILL)


def _in_unit_of_work(view):
    """The request is the runner: the view's writes commit once, after it returned its
    response (already serialised, so a body that cannot be dumped rolls all back)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with unit_of_work():
            response = view(*args, **kwargs)
            _crash_if_asked("before-commit")
        _crash_if_asked("after-commit")
        return response

    return wrapper


class _UnitOfWorkRoutes(flask.Blueprint):
    # Between flask-smorest's Blueprint and Flask's in the MRO: it wraps the final view
    # function (outside smorest's serialisation) while smorest documents the original.
    def add_url_rule(self, rule, endpoint=None, view_func=None, *args, **kwargs):
        if view_func is not None:
            view_func = _in_unit_of_work(view_func)
        super().add_url_rule(rule, endpoint, view_func, *args, **kwargs)


def _path_parameters(rule: str, documented: list) -> list:
    """Describe each URL variable by convention (``order_id`` -> "The order's id")
    unless the route documents it."""
    named = {p.get("name") for p in documented if isinstance(p, dict) and p.get("in") == "path"}
    return documented + [
        {"in": "path", "name": name, "description": path_parameter_description(name)}
        for name in url_variables(rule) if name not in named]


def _tags(path: str) -> list[str] | None:
    tag = resource_tag(path)
    return [tag] if tag else None  # None: flask-smorest tags with the blueprint's name


class Blueprint(flask_smorest.Blueprint, _UnitOfWorkRoutes):
    # Depth limit, strict JSON and the text rule before any schema (api/parser.py).
    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, other_resources: dict[str, str] | None = None, **kwargs):
        """``other_resources``: tag -> description for resources other than the one
        the blueprint is named after (their own tags in the docs)."""
        super().__init__(*args, **kwargs)
        self.other_resources = other_resources or {}

    def add_url_rule(self, rule, endpoint=None, view_func=None,
                     provide_automatic_options=None, *, tags=None, **options):
        # Every operation gets a readable operationId and its resource's tag by
        # convention (api/naming.py); an explicit `@blp.doc(operationId=...)` or
        # `route(..., tags=[...])` wins.
        path = (self.url_prefix or "") + rule
        parameters = _path_parameters(rule, options.pop("parameters", None) or [])
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options,
                             parameters=parameters,
                             tags=tags if tags is not None else _tags(path), **options)
        endpoint = self._endpoints[-1]  # as flask-smorest made it unique
        for method, doc in self._docs[endpoint].items():
            if method != "parameters":
                manual = doc.setdefault("manual_doc", {})
                manual.setdefault("operationId",
                                  operation_id(self.name, endpoint, rule, view_func, method))
                # Every operation is under the per-client limit (api/smorest.py's 429).
                manual.setdefault("responses", {}).setdefault("429", TOO_MANY_REQUESTS)
            if method.lower() == "get":
                # Every GET answers with an ETag and honours If-None-Match (api/http_cache.py):
                # documented as flask-smorest documents its own @etag views.
                doc["etag"] = True

    def arguments(self, schema, *args, **kwargs):
        # webargs instantiates a Schema class on every request (deep-copying its fields);
        # an instance is built once. Loading never mutates it, so threads can share it.
        if isinstance(schema, type):
            schema = schema()
        location = kwargs.get("location", "json")
        if location == "json" and not {"example", "examples"} & set(kwargs):
            kwargs["example"] = body_example(schema, REQUEST)  # api/examples.py
        decorate = super().arguments(schema, *args, **kwargs)
        # The 400s the parser answers before the schema runs (api/parser.py).
        reason = None
        if location == "json":
            reason = f"The body is not JSON, or is nested deeper than {MAX_DEPTH} levels"
        elif location == "query" and amount_fields(schema):
            reason = "An amount filter does not parse (`errors` names it)"
        if reason is None:
            return decorate
        return lambda func: self.alt_response(400, response="DEFAULT_ERROR",
                                              description=reason)(decorate(func))

    def response(self, status_code, schema=None, *, example=None, examples=None, **kwargs):
        if example is None and examples is None and schema is not None \
                and kwargs.get("content_type") in (None, "application/json"):
            instance = schema() if isinstance(schema, type) else schema
            example = body_example(instance, RESPONSE)  # api/examples.py
        return super().response(status_code, schema, example=example, examples=examples,
                                **kwargs)

    def alt_response(self, status_code, response=None, *, retry_after=False, **kwargs):
        """``retry_after``: the answer carries Retry-After (always so for 429)."""
        if retry_after or int(status_code) == 429:
            kwargs.setdefault("headers", {})["Retry-After"] = RETRY_AFTER
            response, kwargs["schema"] = None, ApiErrorSchema
        return super().alt_response(status_code, response, **kwargs)

    def idempotent(self, func):
        """Document Idempotency-Key (api/idempotency.py) on a route whose view answers
        through ``idempotency.run``. Goes above ``@blp.response``."""
        codes = getattr(func, "_apidoc", {}).get("success_status_codes")
        if not codes:
            raise TypeError("@blp.idempotent goes above @blp.response")
        headers = {idempotency.REPLAYED: idempotency.REPLAYED_DOC}
        return self.doc(parameters=[idempotency.HEADER_DOC],
                        responses={code: {"headers": headers} for code in codes})(func)

    def auth(self, *, user: bool = False, scopes: tuple[str, ...] = (), any_key: bool = False):
        """Require an end user's JWT (``user=True``) and/or a partner key holding all
        ``scopes`` (any key when ``any_key``). Adds the security requirement and the
        401/403 responses to the spec."""
        partner = any_key or bool(scopes)
        security = []
        if user:
            security.append({USER: []})
        if partner:
            security.append({API_KEY: list(scopes)})

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                principal = current_principal()
                if principal.user is not None and not user:
                    raise PermissionDenied("This endpoint is for partner API keys.")
                if principal.api_key is not None:
                    if not partner:
                        raise PermissionDenied("This endpoint is for end users.")
                    missing = set(scopes) - set(principal.actor.scopes)
                    if missing:
                        raise PermissionDenied(
                            f"API key lacks scope(s): {', '.join(sorted(missing))}.")
                return func(*args, **kwargs)

            wrapper = self.doc(security=security)(wrapper)
            wrapper = self.alt_response(401, response="DEFAULT_ERROR",
                                        description="Missing or invalid credentials")(wrapper)
            wrapper = self.alt_response(403, response="DEFAULT_ERROR",
                                        description="Not allowed for these credentials")(wrapper)
            return wrapper

        return decorator
