"""End to end: the links in the verification and reset emails, as received by the SMTP
server (aiosmtpd), opened in Chromium against this app's own pages (no PUBLIC_WEB_URL):
one click that POSTs confirms the address; a form sets the new password."""
import re

import pytest
import requests

from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

LINK = re.compile(r"(http://\S+/(?:verify-email|reset-password)\?token=\S+)")


@pytest.fixture
def mailbox(server, smtp_server):
    mailbox, port = smtp_server
    cfg = server.app.config
    saved = {k: cfg[k] for k in ("MAIL_BACKEND", "SMTP_HOST", "SMTP_PORT")}
    cfg.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        yield mailbox
    finally:
        cfg.update(saved)


def _link(mailbox, subject: str) -> str:
    [mail] = [m for m in mailbox.wait_for(1) if subject in m["Subject"]]
    mailbox.messages.clear()
    return LINK.search(mail.get_body(("plain",)).get_content()).group(1)


def test_the_verification_link_confirms_with_one_click(server, page, mailbox):
    api = server.url + "/api/v1"
    assert requests.post(f"{api}/auth/register", json={
        "email": "click@example.com", "password": PASSWORD}, timeout=10).status_code == 202
    link = _link(mailbox, "Confirm your email")
    assert link.startswith(server.url + "/verify-email?token=")

    page.goto(link)  # opening the link changes nothing by itself (mail scanners open links)
    tokens = requests.post(f"{api}/auth/login", json={"email": "click@example.com",
                                                      "password": PASSWORD}, timeout=10).json()
    me = lambda: requests.get(f"{api}/users/me", timeout=10, headers={  # noqa: E731
        "Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert me()["email_verified"] is False
    page.click("#confirm")
    assert "is confirmed" in page.locator("#result").inner_text()
    assert me()["email_verified"] is True

    page.goto(link.replace("token=", "token=x"))  # a tampered link
    page.click("#confirm")
    assert "invalid" in page.locator("#result").inner_text().lower()


def test_the_reset_link_opens_a_form_that_sets_the_new_password(server, page, mailbox):
    api = server.url + "/api/v1"
    requests.post(f"{api}/auth/register", json={"email": "forgot@example.com",
                                                "password": PASSWORD}, timeout=10)
    mailbox.wait_for(1)
    mailbox.messages.clear()
    assert requests.post(f"{api}/auth/password-reset", json={"email": "forgot@example.com"},
                         timeout=10).status_code == 202
    link = _link(mailbox, "Reset your password")

    page.goto(link)
    new = "a brand new passphrase 77"
    page.fill("#password", new)
    page.fill("#confirm", new + "x")
    page.click("#save")
    assert "differ" in page.locator("[role=alert]").inner_text()
    page.fill("#password", new)
    page.fill("#confirm", new)
    page.click("#save")
    assert "password is changed" in page.locator("#result").inner_text()
    login = lambda pw: requests.post(f"{api}/auth/login", timeout=10, json={  # noqa: E731
        "email": "forgot@example.com", "password": pw})
    assert login(new).status_code == 200 and login(PASSWORD).status_code == 401

    page.goto(link)  # the link worked once
    page.fill("#password", "yet another passphrase 99")
    page.fill("#confirm", "yet another passphrase 99")
    page.click("#save")
    assert "already used" in page.locator("[role=alert]").inner_text()
