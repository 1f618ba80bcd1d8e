"""The committed SDKs (api/sdk) are what the generators make of the committed openapi.json,
with no generator warning, and carry the API's version. Regenerate with `make sdk`."""
from __future__ import annotations

import filecmp
import json
import subprocess
import sys
import tomllib

import pytest

from tests import services
from tests.live import ROOT

SDK = ROOT / "api" / "sdk"
GENERATE = [sys.executable, str(SDK / "generate.py")]
REGENERATE = "make sdk  (then review and commit api/sdk)"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Both generators run on openapi.json into a temporary directory."""
    if not (SDK / "typescript" / "node_modules" / ".bin" / "openapi-typescript").exists():
        services.need("npm packages missing: run `npm ci` in api/sdk/typescript (make test does)")
    out = tmp_path_factory.mktemp("sdk")
    proc = subprocess.run([*GENERATE, "--into", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    # generate.py fails on any line a generator prints beyond its progress lines.
    assert proc.returncode == 0, f"generator warnings or errors:\n{proc.stderr}"
    return out


def _differences(committed, generated) -> list[str]:
    found = []

    def walk(cmp: filecmp.dircmp, prefix=""):
        found.extend(f"only committed: {prefix}{n}" for n in cmp.left_only if n != "__pycache__")
        found.extend(f"only generated: {prefix}{n}" for n in cmp.right_only)
        found.extend(f"differs: {prefix}{n}" for n in cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            if name != "__pycache__":
                walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(committed, generated, ignore=[]))
    return found


def _api_version() -> str:
    return json.loads((ROOT / "openapi.json").read_text())["info"]["version"]


def test_python_sdk_is_up_to_date(fresh):
    problems = _differences(SDK / "python", fresh / "python")
    assert not problems, f"api/sdk/python is stale; {REGENERATE}:\n" + "\n".join(problems)


def test_typescript_sdk_is_up_to_date(fresh):
    committed = (SDK / "typescript" / "src" / "schema.d.ts").read_text()
    assert committed == (fresh / "typescript" / "schema.d.ts").read_text(), (
        f"api/sdk/typescript/src/schema.d.ts is stale; {REGENERATE}")


def test_sdk_versions_follow_the_api():
    version = _api_version()
    pyproject = tomllib.loads((SDK / "python" / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == version
    package = json.loads((SDK / "typescript" / "package.json").read_text())
    lock = json.loads((SDK / "typescript" / "package-lock.json").read_text())
    assert package["version"] == lock["version"] == lock["packages"][""]["version"] == version
