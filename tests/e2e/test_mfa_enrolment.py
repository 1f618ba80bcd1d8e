"""#13 finding 9 in Chromium: with staff MFA required, signing in with the password shows
"we sent you a link", never a secret; the emailed link (read from the real SMTP server)
draws the QR code, and the first code signs the member in."""
from __future__ import annotations

import re

import pyotp

from tests import factories
from tests.admin.conftest import setup_link

SCREENSHOTS = "/tmp"


def test_first_second_factor_through_the_emailed_link(server, page, smtp_server, monkeypatch):
    mailbox, port = smtp_server
    for key, value in {"STAFF_MFA_REQUIRED": True, "MAIL_BACKEND": "smtp",
                       "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port}.items():
        monkeypatch.setitem(server.app.config, key, value)
    with server.app.app_context():
        email = factories.staff("support").email

    page.goto("/admin/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/admin/login/2fa**")
    assert page.locator("#mfa-link-sent").is_visible()
    assert page.locator("#totp-secret").count() == 0 and page.locator(".bo-qr").count() == 0
    assert "otpauth" not in page.content()

    link = setup_link(mailbox, email)
    page.goto(link)
    page.wait_for_selector(".bo-qr svg")  # the otpauth URI drawn by the vendored qrcode.js
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    page.screenshot(path=f"{SCREENSHOTS}/backoffice-2fa.png", full_page=True)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("#totp-form button[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("text=Two-factor authentication is on.").is_visible()

    # The link is spent.
    response = page.goto(link)
    assert response.status == 404 and page.locator("#mfa-link-invalid").is_visible()
