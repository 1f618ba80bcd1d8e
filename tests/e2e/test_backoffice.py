"""End to end: sign in, see the dashboard, create an API key, watch a live event arrive."""
import uuid

import pytest
import requests

from tests import factories

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"


def _admin(server):
    with server.app.app_context():
        staff = factories.staff("admin", email_addr=f"ada-{uuid.uuid4().hex[:8]}@nextgen.example")
        return staff.email


def test_admin_signs_in_creates_key_and_sees_live_events(server, page):
    email = _admin(server)
    requested, sockets = [], []
    page.on("request", lambda req: requested.append(req.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))

    page.goto("/admin/")
    assert "/admin/login" in page.url
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("h1", has_text="Dashboard").is_visible()
    page.wait_for_selector("#live-status[data-state=live]")

    # A key is created and shown exactly once.
    page.goto("/admin/api-keys/new/")
    page.fill("#name", "E2E partner")
    page.check("input[name=scopes][value='orders:read']")
    page.click("#apikey-form button[type=submit]")
    secret = page.locator("#new-api-key").inner_text().strip()
    assert secret.startswith("ngm_")
    page.screenshot(path=f"{SCREENSHOTS}/backoffice-apikey-created.png", full_page=True)
    who = requests.get(f"{server.url}/api/v1/auth/whoami",
                       headers={"Authorization": f"Bearer {secret}"}, timeout=5)
    assert who.status_code == 200 and who.json()["scopes"] == ["orders:read"]
    page.click("text=Done")
    page.wait_for_url("**/admin/api-keys/")
    assert "E2E partner" in page.content() and secret not in page.content()

    # The dashboard's live connection (what arrives on it: tests/e2e/test_dashboard.py).
    page.goto("/admin/")
    page.wait_for_selector("#live-status[data-state=live]")
    page.screenshot(path=f"{SCREENSHOTS}/backoffice-dashboard.png", full_page=True)

    assert sockets and all("transport=websocket" in url for url in sockets), sockets
    assert not any("transport=polling" in url for url in requested)
    foreign = [url for url in requested if not url.startswith(server.url)]
    assert not foreign, foreign


def test_support_is_refused_staff_admin_and_can_sign_out(server, page):
    with server.app.app_context():
        agent = factories.staff("support").email
    page.goto("/admin/login")
    page.fill("#email", agent)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("a.nav-link", has_text="Settings").count() == 0
    response = page.goto("/admin/staff/")
    assert response.status == 403
    assert page.locator("text=does not give access").is_visible()
    page.goto("/admin/audit/")
    assert page.locator("td", has_text="staff.login").count() >= 1
    page.screenshot(path=f"{SCREENSHOTS}/backoffice-audit.png", full_page=True)
    # Two-factor set-up is offered by email only (tests/e2e/test_mfa_enrolment.py).
    page.goto("/admin/account/2fa")
    assert page.locator("#mfa-link-form button").is_visible()
    assert page.locator("#totp-secret").count() == 0
    page.goto("/admin/")
    page.click("#bo-user-menu")
    page.click("#bo-logout")
    page.wait_for_url("**/admin/login")
    page.goto("/admin/")
    assert "/admin/login" in page.url
