"""Who can open what: anonymous -> login page, wrong role or pending 2FA -> 403."""
import re

import pytest

from app.extensions import db
from app.users.models import User

ALL = {"admin", "finance", "support"}
# Every back-office page and the roles that may open it.
PAGES = {
    "/admin/": ALL,
    # Finance reads customers (the 360 page: invoices, payments, lifetime value); only
    # admins and support act on accounts.
    "/admin/customers/": ALL,
    "/admin/customers/export/csv/": ALL,
    "/admin/orders/export/csv/": ALL,
    "/admin/search/": ALL,
    "/admin/account/preferences": ALL,
    "/admin/audit/": ALL,
    "/admin/audit/export/csv/": ALL,
    "/admin/api-keys/": {"admin"},
    "/admin/api-keys/new/": {"admin"},
    "/admin/staff/": {"admin"},
    "/admin/staff/new/": {"admin"},
    "/admin/deliveries/": {"admin"},
    "/admin/account/password": ALL,
    "/admin/account/2fa": ALL,
}


@pytest.mark.parametrize("url", sorted(PAGES))
def test_anonymous_is_sent_to_login_with_next(client, url):
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp.location.startswith("/admin/login?next=")
    assert url.rstrip("/") in resp.location


@pytest.mark.parametrize("role", sorted(ALL))
def test_role_matrix(login_as, role):
    bo, _ = login_as(role)
    for url, allowed in PAGES.items():
        status = bo.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)


def test_menu_shows_only_what_the_role_may_open(login_as):
    bo, _ = login_as("support")
    html = bo.get("/admin/").get_data(as_text=True)
    assert "/admin/customers/" in html and "/admin/audit/" in html
    assert "/admin/staff/" not in html and "/admin/api-keys/" not in html


def test_forbidden_write_endpoints_for_read_only_roles(login_as, factories):
    user = factories.user()
    bo, _ = login_as("finance")
    # Finance reads customers but has no business with their accounts.
    resp = bo.action("/admin/customers/", "deactivate", [user.id])
    assert resp.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active


def test_login_next_cannot_leave_the_site(browser, factories):
    staff = factories.staff("admin")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        resp = browser().login(staff.email, next=target)
        assert resp.status_code == 302
        assert resp.location == "/admin/", target


def test_login_follows_next_inside_the_site(browser, factories):
    staff = factories.staff("admin")
    resp = browser().login(staff.email, next="/admin/audit/")
    assert resp.location == "/admin/audit/"


EXTERNAL_ASSET = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=[\"'](?:https?:)?//", re.I)


def test_no_page_loads_assets_from_another_origin(login_as, browser):
    bo, _ = login_as("admin")
    pages = [*PAGES, "/admin/customers/?search=x"]
    for url in pages:
        html = bo.get(url).get_data(as_text=True)
        assert not EXTERNAL_ASSET.search(html), url
        for asset in re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"([^\"]+)\"", html):
            assert bo.get(asset).status_code == 200, asset
    login_html = browser().get("/admin/login").get_data(as_text=True)
    assert not EXTERNAL_ASSET.search(login_html)


def test_pages_are_not_cached_or_framed(login_as):
    bo, _ = login_as("admin")
    resp = bo.get("/admin/")
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_vendored_socketio_client_keeps_its_licence(client):
    resp = client.get("/admin/assets/vendor/socket.io.min.js", buffered=True)
    assert resp.status_code == 200
    head = resp.get_data(as_text=True)[:200]
    assert "Socket.IO v4" in head and "MIT License" in head
    live = client.get("/admin/assets/live.js", buffered=True).get_data(as_text=True)
    assert "transports: ['websocket']" in live
