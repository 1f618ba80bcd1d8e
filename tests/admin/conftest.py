"""Back-office test helpers: a browser-like client per staff member, CSRF tokens taken
from the rendered forms (CSRF stays on), and a sign-in shortcut per role."""
from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.conftest import make_client

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class BackOffice:
    """One browser: its cookie jar plus helpers that submit forms like a person would."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        # Buffered: streamed bodies (CSV export, static files) are read while the
        # request's isolated context is still active.
        kwargs.setdefault("buffered", True)
        return self.client.get(url, **kwargs)

    def token(self, url: str = "/admin/login") -> str:
        html = self.client.get(url).get_data(as_text=True)
        match = TOKEN.search(html)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post(self, url: str, data: dict | None = None, *, token_from: str | None = None,
             **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or url))
        return self.client.post(url, data=data, **kwargs)

    def login(self, email: str, password: str = f.PASSWORD, next: str | None = None):
        url = "/admin/login" + (f"?next={next}" if next else "")
        return self.post(url, {"email": email, "password": password}, token_from="/admin/login")

    def action(self, list_url: str, action: str, ids) -> object:
        return self.post(f"{list_url}action/", {"action": action,
                                                "rowid": [str(i) for i in ids]},
                         token_from=list_url)

    def logout(self):
        return self.post("/admin/logout", token_from="/admin/")


@pytest.fixture
def browser(app):
    """A factory of independent browsers (separate cookie jars)."""

    def make() -> BackOffice:
        # make_client: each request in its own context, as a real server runs it.
        return BackOffice(make_client(app))

    return make


@pytest.fixture
def login_as(browser, factories):
    """``bo, staff = login_as("support")``: a signed-in browser for a new staff member."""

    def sign_in(role: str = "admin"):
        staff = factories.staff(role)
        bo = browser()
        resp = bo.login(staff.email)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return bo, staff

    return sign_in


SETUP_LINK = re.compile(r"https?://[^\s/]+(/admin/2fa/setup/[A-Za-z0-9_-]+)")
SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def setup_link(mailbox, email_addr: str, count: int = 1) -> str:
    """The path of the newest two-factor set-up link emailed to ``email_addr``."""
    mailbox.wait_for(count)
    for msg in reversed(mailbox.messages):
        if msg["To"] == email_addr:
            text = (msg.get_body(("plain",)) or msg).get_content()
            match = SETUP_LINK.search(text)
            assert match, text
            return match.group(1)
    raise AssertionError(f"no email to {email_addr}")


@pytest.fixture
def enrol(smtp):
    """``totp = enrol(bo, staff)``: a signed-in member sets up TOTP as a person does: asks
    for the link on their account page, opens it from the email, enters a code."""
    import pyotp

    def do(bo, staff):
        before = len(smtp.messages)
        assert bo.post("/admin/account/2fa").status_code == 302
        link = setup_link(smtp, staff.email, before + 1)
        secret = SECRET.search(bo.get(link).get_data(as_text=True)).group(1)
        totp = pyotp.TOTP(secret)
        resp = bo.post(link, {"code": totp.now()})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return totp

    return do
