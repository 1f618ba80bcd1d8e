"""openapi.json is what SDK generators and their users need: every operation named,
summarised and tagged; every JSON body with an example that validates; every property
and parameter described; 429s with Retry-After; Idempotency-Key answers with their
replay header; shared enums named once. Each check is proven to fail on a spec missing
what it checks (the mutations at the end)."""
from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.contract.test_openapi import _resolve
from tests.live import ROOT

METHODS = {"get", "put", "post", "delete", "patch"}
JSON = "application/json"


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads((ROOT / "openapi.json").read_text())




def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", item, operation


def _bodies(spec):
    """(label, media type object) of every JSON request body and 2xx response."""
    for label, _, operation in _operations(spec):
        body = operation.get("requestBody")
        if body:
            for content_type, media in _resolve(spec, body)["content"].items():
                yield f"{label} request {content_type}", content_type, media
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                for content_type, media in _resolve(spec, response).get("content", {}).items():
                    yield f"{label} {status} {content_type}", content_type, media


def operation_problems(spec) -> list[str]:
    problems = []
    for label, _, operation in _operations(spec):
        for key in ("operationId", "summary"):
            if not operation.get(key):
                problems.append(f"{label}: no {key}")
        if len(operation.get("tags") or []) != 1:
            problems.append(f"{label}: tags {operation.get('tags')} (one expected)")
    return problems


def example_problems(spec) -> list[str]:
    # Binary bodies (the invoice PDF) have no meaningful example.
    return [f"{label}: no example" for label, content_type, media in _bodies(spec)
            if content_type == JSON and "example" not in media and "examples" not in media]


def description_problems(spec) -> list[str]:
    problems = []
    for name, schema in spec["components"]["schemas"].items():
        if not schema.get("description") and "enum" in schema:
            problems.append(f"enum {name}: no description")
        for prop, definition in (schema.get("properties") or {}).items():
            if not definition.get("description"):
                problems.append(f"{name}.{prop}: no description")
    parameters = [(f"components {key}", p) for key, p in
                  (spec["components"].get("parameters") or {}).items()]
    for label, item, operation in _operations(spec):
        parameters += [(label, p) for p in
                       item.get("parameters", []) + operation.get("parameters", [])]
    for label, parameter in parameters:
        parameter = _resolve(spec, parameter)
        if not parameter.get("description"):
            problems.append(f"{label}: parameter {parameter['name']} has no description")
    return problems


RATE_LIMIT_HEADERS = {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}


def header_problems(spec) -> list[str]:
    problems = []
    for label, _, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if status == "429":
                missing = RATE_LIMIT_HEADERS - set(_resolve(spec, response).get("headers", {}))
                if missing:
                    problems.append(f"{label}: 429 without {', '.join(sorted(missing))}")
        keyed = any(_resolve(spec, p).get("name") == "Idempotency-Key"
                    for p in operation.get("parameters", []))
        for status, response in operation["responses"].items():
            headers = _resolve(spec, response).get("headers", {})
            if keyed and status.startswith("2") and "Idempotent-Replayed" not in headers:
                problems.append(f"{label}: takes Idempotency-Key; {status} does not "
                                "document Idempotent-Replayed")
    return problems


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def enum_problems(spec) -> list[str]:
    named = {frozenset(s["enum"]): name for name, s in spec["components"]["schemas"].items()
             if "enum" in s}
    problems = []
    for path, node in _walk({"paths": spec["paths"], "components": spec["components"]}):
        enum = node.get("enum")
        if not isinstance(enum, list) or path.startswith("/components/schemas/") and \
                path.count("/") == 3:
            continue  # a component itself
        types = node.get("type")
        if isinstance(types, list) and "null" in types and None not in enum:
            problems.append(f"{path}: allows null, but null is not in its enum")
        if frozenset(enum) in named:
            problems.append(f"{path}: repeats the enum of {named[frozenset(enum)]}; $ref it")
    return problems


def example_validity_problems(spec) -> list[str]:
    registry = Registry().with_resource("urn:spec", Resource.opaque(spec))
    problems = []
    for label, content_type, media in _bodies(spec):
        if "example" not in media or "schema" not in media:
            continue
        schema = {**media["schema"], "$ref": "urn:spec" + media["schema"]["$ref"]} \
            if "$ref" in media["schema"] else media["schema"]
        validator = Draft202012Validator(schema, registry=registry)
        problems += [f"{label}: example {'/'.join(map(str, e.absolute_path))}: {e.message}"
                     for e in validator.iter_errors(media["example"])]
    return problems


CHECKS = [operation_problems, example_problems, description_problems, header_problems,
          enum_problems, example_validity_problems]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_spec_passes(committed, check):
    problems = check(committed)
    assert not problems, "\n".join(problems)


def test_the_spec_is_big_enough_for_the_checks_to_mean_something(committed):
    assert len(list(_operations(committed))) >= 30
    assert sum(1 for _, content_type, _ in _bodies(committed) if content_type == JSON) >= 40
    assert {"OrderStatus", "InvoiceStatus", "TaxCategory", "Currency"} <= set(
        committed["components"]["schemas"])


# Each mutation removes one thing a check guards: the check must notice.
def _op(spec, path, method):
    return spec["paths"][path][method]


MUTATIONS = {
    "no operationId": (operation_problems,
                       lambda s: _op(s, "/api/v1/orders", "post").pop("operationId")),
    "no summary": (operation_problems, lambda s: _op(s, "/api/v1/orders", "get").pop("summary")),
    "two tags": (operation_problems,
                 lambda s: _op(s, "/api/v1/orders", "get")["tags"].append("extra")),
    "no response example": (example_problems, lambda s: _op(s, "/api/v1/orders", "post")
                            ["responses"]["201"]["content"][JSON].pop("example")),
    "no request example": (example_problems, lambda s: _op(s, "/api/v1/auth/login", "post")
                           ["requestBody"]["content"][JSON].pop("example")),
    "no property description": (description_problems, lambda s: s["components"]["schemas"]
                                ["Order"]["properties"]["total_amount"].pop("description")),
    "no query parameter description": (description_problems, lambda s: _op(
        s, "/api/v1/products", "get")["parameters"][0].pop("description")),
    "no path parameter description": (description_problems, lambda s: s["paths"]
                                      ["/api/v1/orders/{order_id}"]["parameters"][0]
                                      .pop("description")),
    "429 without Retry-After": (header_problems, lambda s: s["components"]["responses"]
                                ["TOO_MANY_REQUESTS"]["headers"].pop("Retry-After")),
    "429 without RateLimit-Remaining": (
        header_problems, lambda s: s["components"]["responses"]["TOO_MANY_REQUESTS"]
        ["headers"].pop("RateLimit-Remaining")),
    "no replay header": (header_problems, lambda s: _op(s, "/api/v1/orders", "post")
                         ["responses"]["201"].pop("headers")),
    "enum inlined again": (enum_problems, lambda s: s["components"]["schemas"]["Order"]
                           ["properties"].__setitem__("status", {
                               "type": "string", "description": "x",
                               "enum": list(s["components"]["schemas"]["OrderStatus"]["enum"])})),
    "nullable enum without null": (enum_problems, lambda s: s["components"]["schemas"]
                                   ["LineCreate"]["properties"].__setitem__("tax_category", {
                                       "type": ["string", "null"], "description": "x",
                                       "enum": ["a", "b"]})),
    "example off its schema": (example_validity_problems, lambda s: _op(
        s, "/api/v1/orders", "post")["responses"]["201"]["content"][JSON]["example"]
        .__setitem__("status", "teleported")),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_check_fails_when_what_it_guards_is_missing(committed, name):
    check, mutate = MUTATIONS[name]
    spec = copy.deepcopy(committed)
    assert not check(spec)
    mutate(spec)
    assert check(spec), f"{check.__name__} did not notice: {name}"
