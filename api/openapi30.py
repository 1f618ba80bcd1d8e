"""The API's OpenAPI 3.1 document rewritten as OpenAPI 3.0.3, served at
``/api/v1/openapi-3.0.json`` for code generators whose 3.1 support is missing or beta.

GitHub publishes its REST description in both versions for the same reason. The 3.1
document stays the source (docs page, ``make sdk``); this one is derived from it on the
first request, so the two never disagree. openapi-generator's ``typescript-fetch`` prints
no warning on it (tests/contract/test_openapi30.py), while on 3.1 it always prints its
beta notice.

What the rewrite changes (nothing else in the spec is 3.1-only, and the test proves the
result valid 3.0):
- ``type: [X, "null"]`` becomes ``type: X`` with ``nullable: true``;
- ``anyOf: [<schema>, {type: null}]`` becomes ``<schema>`` (as ``allOf`` for a ``$ref``)
  with ``nullable: true``;
- a ``$ref`` with siblings (a field's own description) becomes ``allOf: [{$ref}]`` with
  them, since 3.0 ignores whatever stands beside a ``$ref``.
"""
from __future__ import annotations

import orjson
from flask import Flask, current_app

from api import http_cache

VERSION = "3.0.3"
_NULL = {"type": "null"}


def downgrade(spec: dict) -> dict:
    """A 3.0.3 copy of the 3.1 ``spec``; ``spec`` is left as it is."""
    out = _schema(spec)
    out["openapi"] = VERSION
    return out


def _schema(node):
    if isinstance(node, list):
        return [_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _schema(value) for key, value in node.items()}
    kind = node.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        if len(rest) != 1:
            raise ValueError(f"no OpenAPI 3.0 form for type {kind!r}")
        node["type"] = rest[0]
        if len(rest) < len(kind):
            node["nullable"] = True
    choices = node.get("anyOf")
    if choices and _NULL in choices:
        rest = [c for c in choices if c != _NULL]
        del node["anyOf"]
        node["nullable"] = True
        node["allOf" if len(rest) == 1 else "anyOf"] = rest
    if "$ref" in node and len(node) > 1:
        node["allOf"] = [{"$ref": node.pop("$ref")}]
    return node


def init_app(app: Flask, api) -> None:
    rendered: list[bytes] = []  # derived from the code, never from data: one per process

    @app.route("/api/v1/openapi-3.0.json")
    def openapi_30():
        http_cache.public()  # the same for everybody, like the 3.1 document
        if not rendered:
            rendered.append(orjson.dumps(downgrade(api.spec.to_dict())))
        return current_app.response_class(rendered[0], mimetype="application/json")
