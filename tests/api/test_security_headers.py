"""#13 finding 6 over HTTP: one set of security headers on every response (the browser
check of the policy is tests/e2e/test_csp.py)."""
import pytest

from tests.factories import PASSWORD


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/nowhere", "/healthz",
                                  "/api/v1/openapi.json"])
def test_api_responses_carry_the_security_headers(client, path):
    resp = client.get(path)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_docs_page_cannot_be_framed_and_runs_no_foreign_script(client):
    resp = client.get("/api/v1/docs")
    assert resp.status_code == 200
    assert resp.headers["X-Frame-Options"] == "DENY"
    csp = resp.headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp.split(";")[1]
    html = resp.get_data(as_text=True)
    # The one inline script carries this response's nonce; a new response gets a new one.
    assert html.count("<script nonce=") == 1 and f'nonce="{nonce}"' in html
    assert nonce not in client.get("/api/v1/docs").headers["Content-Security-Policy"]


def test_token_responses_are_not_stored(client, factories):
    user = factories.user()
    resp = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]


def test_hsts_only_in_secure_environments(client, app, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    monkeypatch.setitem(app.config, "HSTS_MAX_AGE", 31536000)
    assert client.get("/healthz").headers["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains"
