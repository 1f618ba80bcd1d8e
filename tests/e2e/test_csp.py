"""#13 finding 6 in Chromium: every back-office page an admin can reach from the menu, its
create forms, and the docs page work under the Content-Security-Policy. The ``page``
fixture fails the test on any reported violation; this test also checks the headers."""
import uuid

import pytest

from tests import factories

pytestmark = pytest.mark.e2e


def _sign_in_admin(server, page):
    with server.app.app_context():
        email = factories.staff("admin", email_addr=f"csp-{uuid.uuid4().hex[:8]}@nextgen.example").email
        factories.user()
        factories.product()
    page.goto("/admin/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/admin/")


def test_every_menu_page_runs_under_the_policy(server, page):
    _sign_in_admin(server, page)
    links = page.eval_on_selector_all(
        "nav a.nav-link[href^='/admin'], nav a.dropdown-item[href^='/admin']",
        "els => els.map(e => e.getAttribute('href'))")
    pages = sorted({link for link in links if link and link != "#"})
    assert len(pages) >= 8, pages
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split(";")[1]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        page.wait_for_load_state("networkidle")
        create = page.locator("a.nav-link[href*='/new/']")
        if create.count():
            page.goto(create.first.get_attribute("href"))
            page.wait_for_load_state("networkidle")
            # Flask-Admin's form page runs its inline script under the nonce.
            assert page.evaluate("typeof jQuery") == "function"
    # Menus that open in place (a dropdown toggle) do not navigate to a javascript: URL.
    page.goto("/admin/customers/")
    toggles = page.locator("a[data-toggle=dropdown]")
    if toggles.count():
        toggles.first.click()


def test_docs_page_runs_under_the_policy(server, page):
    response = page.goto("/api/v1/docs")
    assert "nonce-" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    page.wait_for_selector(".opblock-tag", timeout=15_000)
