"""Contract test: the TypeScript SDK (api/sdk/typescript) against a live server (gunicorn
on PostgreSQL). The test itself is api/sdk/typescript/test/contract.test.ts, compiled
with the locked TypeScript (type errors against the generated types fail here too) and
run by Node's test runner; this starts the server, prepares what only staff can do (a
paid order's invoice) and asserts node's exit code."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid

from tests import services
from tests.contract import sdk_live
from tests.live import ROOT, web_server

TS = ROOT / "api" / "sdk" / "typescript"


def _node_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (TS / "node_modules" / ".bin" / "tsc").exists():
        return f"npm packages missing: run `npm ci` in {TS} (make test does)"
    return None


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=TS, capture_output=True, text=True, **kwargs)


def test_partner_and_customer_through_the_typescript_sdk(pg_app, factories):
    services.need(_node_reason())
    built = _run([str(TS / "node_modules" / ".bin" / "tsc"), "-p", "tsconfig.json"], timeout=180)
    assert built.returncode == 0, built.stdout + built.stderr

    partner_key = sdk_live.prepare()
    payer = sdk_live.paid_customer()
    env = {**os.environ, "NGM_PARTNER_KEY": partner_key, "NGM_RUN": uuid.uuid4().hex[:8],
           "NGM_INVOICE_EMAIL": payer.email, "NGM_INVOICE_PASSWORD": payer.password,
           "NGM_INVOICE_AMOUNT": payer.invoice_amount_text}
    with web_server(pg_app, workers=2, threads=4) as base:
        result = _run(["node", "--test", "--test-reporter=spec", "dist/test/"],
                      env={**env, "NGM_BASE_URL": base}, timeout=180)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "pass 1" in result.stdout and "fail 0" in result.stdout, result.stdout[-3000:]
