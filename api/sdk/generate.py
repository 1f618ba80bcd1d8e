"""Generate the SDKs from the committed openapi.json: `make sdk`.

- Python: openapi-python-client (pinned in requirements-dev.txt) -> api/sdk/python
- TypeScript: openapi-typescript types (pinned in api/sdk/typescript/package-lock.json)
  -> api/sdk/typescript/src/schema.d.ts, used by the hand-written openapi-fetch client
  in src/index.ts.

Both versions follow the API's (info.version). Any line a generator prints beyond its
usual progress lines counts as a warning and fails the run: the spec is fixed instead.
`--into DIR` writes to DIR/python and DIR/typescript/schema.d.ts (the freshness test).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi.json"
HERE = ROOT / "api" / "sdk"
PYTHON_OUT = HERE / "python"
TS = HERE / "typescript"
TS_TYPES = TS / "src" / "schema.d.ts"
OPENAPI_TS = TS / "node_modules" / ".bin" / "openapi-typescript"


class GeneratorWarning(RuntimeError):
    pass


def api_version() -> str:
    return json.loads(SPEC.read_text())["info"]["version"]


def _run(command: list, quiet_prefixes: tuple[str, ...]) -> None:
    proc = subprocess.run([str(c) for c in command], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    noise = [line for line in (proc.stdout + proc.stderr).splitlines()
             if line.strip() and not line.startswith(quiet_prefixes)]
    if proc.returncode != 0 or noise:
        raise GeneratorWarning(f"{Path(command[0]).name} (exit {proc.returncode}):\n"
                               + "\n".join(noise))


def python_sdk(out: Path) -> None:
    generator = Path(sys.executable).with_name("openapi-python-client")
    _run([generator, "generate", "--path", SPEC, "--output-path", out, "--overwrite",
          "--meta", "pdm", "--config", HERE / "openapi-python-client.yaml"],
         quiet_prefixes=("Generating ",))


def typescript_types(out: Path) -> None:
    if not OPENAPI_TS.exists():
        raise FileNotFoundError(f"{OPENAPI_TS} is missing: run `npm ci` in {TS}")
    _run([OPENAPI_TS, SPEC, "--output", out], quiet_prefixes=("✨", "🚀"))


def stamp_typescript_version(version: str) -> None:
    """package.json and its lock carry the API's version."""
    for name in ("package.json", "package-lock.json"):
        path = TS / name
        data = json.loads(path.read_text())
        data["version"] = version
        if name == "package-lock.json":
            data["packages"][""]["version"] = version
        path.write_text(json.dumps(data, indent=2) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, help="write here instead of api/sdk (tests)")
    args = parser.parse_args(argv)
    try:
        if args.into:
            python_sdk(args.into / "python")
            (args.into / "typescript").mkdir(parents=True, exist_ok=True)
            typescript_types(args.into / "typescript" / "schema.d.ts")
        else:
            python_sdk(PYTHON_OUT)
            typescript_types(TS_TYPES)
            stamp_typescript_version(api_version())
    except (GeneratorWarning, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
