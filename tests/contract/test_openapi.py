"""The committed OpenAPI document (openapi.json) is what the code generates, is valid
OpenAPI 3.1, and documents auth and errors the same way on every operation."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi.json"
REGENERATE = "make openapi  (or: FLASK_APP=wsgi .venv/bin/flask openapi write --format json openapi.json)"
ERROR_REF = "#/components/schemas/ApiError"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def sqlite_app(app_for):
    return app_for("sqlite")


@pytest.fixture(scope="module")
def generated(sqlite_app, tmp_path_factory) -> str:
    """The bytes `flask openapi write` produces now, run in-process on the test app."""
    out = tmp_path_factory.mktemp("openapi") / "openapi.json"
    result = sqlite_app.test_cli_runner().invoke(
        args=["openapi", "write", "--format", "json", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text()


@pytest.fixture(scope="module")
def spec(generated) -> dict:
    return json.loads(generated)


def _first_difference(a: str, b: str) -> str:
    for number, (left, right) in enumerate(zip(a.splitlines(), b.splitlines()), start=1):
        if left != right:
            return f"line {number}:\n  committed: {left.strip()}\n  generated: {right.strip()}"
    return f"lengths differ ({len(a.splitlines())} vs {len(b.splitlines())} lines)"


def test_committed_spec_is_up_to_date(generated):
    assert COMMITTED.exists(), f"openapi.json is missing; create it with: {REGENERATE}"
    committed = COMMITTED.read_text()
    assert committed == generated, (
        "openapi.json is out of date with the code; regenerate it with:\n    "
        f"{REGENERATE}\nthen review and commit the diff. First difference at "
        + _first_difference(committed, generated))


def test_generation_is_deterministic(tmp_path):
    """The Makefile's command, in a fresh process with another hash seed and instance
    path, writes exactly the committed bytes."""
    out = tmp_path / "openapi.json"
    env = {**os.environ, "FLASK_APP": "wsgi", "PYTHONHASHSEED": "4242",
           "INSTANCE_PATH": str(tmp_path / "instance"), "APP_ENV": "development",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    env.pop("REDIS_URL", None)
    flask = Path(sys.executable).with_name("flask")
    proc = subprocess.run([str(flask), "openapi", "write", "--format", "json", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text() == COMMITTED.read_text(), (
        f"`flask openapi write` output depends on the process or machine; {REGENERATE}")


def test_spec_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert not errors, "\n".join(errors)


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _resolve(spec, obj):
    while "$ref" in obj:
        node = spec
        for part in obj["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def _error_schema_ref(spec, response) -> str | None:
    content = _resolve(spec, response).get("content", {})
    return content.get("application/json", {}).get("schema", {}).get("$ref")


def test_error_schema_is_the_one_shape(spec):
    error = spec["components"]["schemas"]["ApiError"]
    assert list(error["properties"]) == ["code", "status", "message", "errors", "request_id"]
    assert set(error["required"]) == {"code", "status", "message", "request_id"}


def test_every_operation_documents_errors_with_the_error_schema(spec):
    problems = []
    for label, operation in _operations(spec):
        responses = operation["responses"]
        if "default" not in responses:
            problems.append(f"{label}: no default (error) response")
        for status, response in responses.items():
            success = status.startswith(("1", "2")) or status == "304"
            ref = _error_schema_ref(spec, response)
            if not success and ref != ERROR_REF:
                problems.append(f"{label}: {status} is not documented with {ERROR_REF} ({ref})")
        if "requestBody" in operation and "422" not in responses:
            problems.append(f"{label}: takes a body but does not document 422")
        security = operation.get("security") or []
        if security and "401" not in responses:
            problems.append(f"{label}: takes credentials but does not document 401")
        if security and all(security) and "403" not in responses:
            problems.append(f"{label}: requires credentials but does not document 403")
        if not operation.get("summary"):
            problems.append(f"{label}: no summary (docstring)")
    assert not problems, "\n".join(problems)


def test_security_schemes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": schemes["bearerAuth"]["description"]}
    assert schemes["apiKeyAuth"]["type"] == "http"
    assert schemes["apiKeyAuth"]["scheme"] == "bearer"
    used = {name for _, op in _operations(spec) for req in op.get("security", []) for name in req}
    assert used <= set(schemes), f"undefined security schemes: {used - set(schemes)}"
    assert used == {"bearerAuth", "apiKeyAuth"}


def test_served_spec_matches_committed(sqlite_app):
    """/api/v1/openapi.json serves the same document (key order aside)."""
    with sqlite_app.app_context():
        resp = sqlite_app.test_client().get("/api/v1/openapi.json")
    assert resp.status_code == 200
    assert resp.get_json() == json.loads(COMMITTED.read_text())
