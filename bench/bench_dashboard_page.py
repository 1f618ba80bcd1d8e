"""GET /admin/ (the finance dashboard, signed in with password and TOTP) on 1,000,000
orders under load, vs the bare Flask endpoint."""
from __future__ import annotations

import re

import pyotp
import requests

from bench.bench_dashboard_aggregates import dashboard_data
from bench.load import Target

DESCRIPTION = "GET /admin/ dashboard (finance, 1M orders) vs bare Flask hello"
PAGE_CONNECTIONS = 2
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _signed_in_cookie(base: str, staff: dict) -> str:
    """A staff session as a browser gets it: password, then the TOTP code."""
    s = requests.Session()
    jar = {}

    def get(path):
        r = s.get(base + path, headers=_cookie(jar), allow_redirects=False, timeout=30)
        jar.update(r.cookies.get_dict())
        return r

    def post(path, data):
        token = _TOKEN.search(get(path).text).group(1)
        r = s.post(base + path, data={**data, "csrf_token": token}, headers=_cookie(jar),
                   allow_redirects=False, timeout=30)
        jar.update(r.cookies.get_dict())
        return r

    r = post("/admin/login", {"email": staff["email"], "password": staff["password"]})
    assert r.status_code == 302, r.text[:500]
    r = post("/admin/login/2fa", {"code": pyotp.TOTP(staff["totp_secret"]).now()})
    assert r.status_code == 302, r.text[:500]
    return _cookie(jar)["Cookie"]


def _cookie(jar: dict) -> dict:
    # Built by hand: the production app marks cookies Secure, and this is plain HTTP.
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


def run(ctx):
    staff = dashboard_data(ctx)
    app = ctx.app_server()
    cookie = _signed_in_cookie(app.url(""), staff)
    # The first view fills the rollup's closed days (once); measured views read it.
    requests.get(app.url("/admin/?days=90"), headers={"Cookie": cookie}, timeout=600)
    target = Target("GET /admin/?days=90 (finance)", app.url("/admin/?days=90"),
                    headers={"Cookie": cookie})
    # Few connections: the page does real work (~20 statements); 16 connections on one
    # worker queue each request behind the others past wrk's 2 s timeout on a busy host.
    return ctx.compare(target, ctx.bare_target(), goal=None, connections=PAGE_CONNECTIONS)
