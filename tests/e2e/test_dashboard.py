"""End to end, in Chromium: the dashboard draws its charts with data and shows a live
order placed through the API within two seconds; global search finds an order by number
and a customer by email; the customer 360 page; support is refused finance pages. Staff
sign in with a TOTP second factor. Screenshots of the main pages are kept as artefacts
in a temporary directory (its path is printed)."""
from __future__ import annotations

import tempfile
import time
import uuid
from datetime import timedelta

import pyotp
import pytest
import requests

from tests import factories
from tests import reporting_support as rs
from tests.orders_support import ADDRESS

pytestmark = pytest.mark.e2e

SHOTS = tempfile.mkdtemp(prefix="ngm-backoffice-shots-")
print(f"back-office screenshots: {SHOTS}")


def _shot(page, name):
    path = f"{SHOTS}/{name}.png"
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")


def _staff_with_totp(server, role):
    from app.core.types import utcnow
    from app.extensions import db

    with server.app.app_context():
        staff = factories.staff(role, email_addr=f"{role}-{uuid.uuid4().hex[:8]}@nextgen.example")
        staff.totp_secret = pyotp.random_base32()
        staff.totp_confirmed_at = utcnow()
        secret, email = staff.totp_secret, staff.email
        db.session.merge(staff)
        db.session.commit()
    return email, secret


def _sign_in(page, server, role):
    email, secret = _staff_with_totp(server, role)
    page.goto("/admin/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/admin/login/2fa**")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("#totp-form button[type=submit]")
    page.wait_for_url("**/admin/")


@pytest.fixture(scope="module")
def shop(live_server):
    """A customer with sales over the last weeks, an open invoice, and a product to buy."""
    from app.catalog.models import Product
    from app.core.clock import business_date
    from app.extensions import db
    from app.tax import demo as tax_demo

    with live_server.app.app_context():
        tax_demo.load()
        db.session.commit()
        email = f"alice-{uuid.uuid4().hex[:6]}@example.com"
        alice = factories.user(email_addr=email, full_name="Alice Martin", verified=True)
        today = business_date()
        numbers = [rs.sale(alice, net=8600 + 100 * n, tax=1634, when=rs.at(today - timedelta(days=n)))
                   .number for n in range(0, 20, 2)]
        rs.sale(alice, net=5000, rate="0.07", tax=350, when=rs.at(today - timedelta(days=3)))
        rs.sale(alice, net=2500, paid=False, payment="failed", when=rs.at(today - timedelta(days=1)))
        invoice = rs.open_invoice(alice, total=10234, due=today - timedelta(days=5),
                                  number=f"INV-E2E-{uuid.uuid4().hex[:4].upper()}")
        product = Product(id=uuid.uuid4(), sku=f"E2E-{uuid.uuid4().hex[:6]}", name="Kettle",
                          description="", price_amount=8639, currency="EUR", stock_on_hand=50)
        db.session.add(product)
        db.session.commit()
        return {"email": email, "id": alice.id, "numbers": numbers, "invoice": invoice.number,
                "product_id": str(product.id)}


def test_dashboard_draws_charts_and_shows_a_live_order_within_two_seconds(server, page, shop):
    _sign_in(page, server, "admin")
    page.wait_for_selector("#chart-revenue")
    page.wait_for_function("window.boCharts && window.boCharts['chart-revenue']")
    revenue = page.evaluate("window.boCharts['chart-revenue'].data.datasets"
                            ".map(d => [d.label, d.data.filter(v => v > 0).length])")
    assert ["EUR", 11] in revenue, revenue
    assert page.evaluate("window.boCharts['chart-orders'].data.datasets[0].data"
                         ".reduce((a, b) => a + b, 0)") >= 12
    assert page.evaluate("window.boCharts['chart-tax-rates'].data.labels") \
        == ["EUR 7.00 %", "EUR 19.00 %"]
    page.wait_for_selector("#live-status[data-state=live]")
    _shot(page, "dashboard-admin")
    before = int(page.locator('#stat-orders_today [data-counter="orders_today"]').inner_text())

    token = requests.post(f"{server.url}/api/v1/auth/login",
                          json={"email": shop["email"], "password": factories.PASSWORD},
                          timeout=5).json()["access_token"]
    address = {**ADDRESS, "country": "de", "postal_code": "10115", "city": "Berlin"}
    started = time.monotonic()
    placed = requests.post(f"{server.url}/api/v1/orders",
                           json={"lines": [{"product_id": shop["product_id"], "quantity": 1}],
                                 "shipping_address": address},
                           headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    toast = page.locator(".bo-toast", has_text=f"Order #{order['number']} by Alice Martin")
    toast.wait_for(timeout=2000)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, elapsed
    assert f"{order['total_amount']}" not in toast.inner_text()  # people read 102.80 EUR
    assert "EUR" in toast.inner_text()
    assert page.locator("#live-feed li[data-kind=order]").count() == 1
    assert int(page.locator('#stat-orders_today [data-counter="orders_today"]').inner_text()) \
        == before + 1
    _shot(page, "dashboard-live-order")


def test_global_search_finds_order_by_number_and_customer_by_email(server, page, shop):
    _sign_in(page, server, "finance")
    number = shop["numbers"][0]
    page.fill("#bo-search-q", f"#{number}")
    page.press("#bo-search-q", "Enter")
    page.wait_for_selector("#results-orders")
    assert page.locator("#results-orders a", has_text=f"#{number}").count() == 1
    _shot(page, "search-order-number")
    page.fill("#bo-search-q", shop["email"])
    page.press("#bo-search-q", "Enter")
    page.wait_for_selector("#results-customers")
    page.locator("#results-customers a", has_text=shop["email"]).click()
    page.wait_for_selector("#customer-orders")
    assert page.locator("#customer-orders tr").count() >= 12
    assert page.locator("#customer-invoices", has_text=shop["invoice"]).count() == 1
    assert page.locator("#customer-payments td", has_text="failed").count() >= 1
    assert page.locator("#customer-payments td", has_text="succeeded").count() >= 11
    assert page.locator("#customer-ltv").is_visible()
    _shot(page, "customer-360")
    page.goto("/admin/orders/")
    _shot(page, "orders-list")


def test_support_is_refused_finance_pages_and_sees_no_money(server, page, shop):
    _sign_in(page, server, "support")
    assert page.locator("#chart-orders").count() == 1
    assert page.locator("#chart-revenue").count() == 0
    assert page.locator("#figures-today").count() == 0
    _shot(page, "dashboard-support")
    for url in ("/admin/invoices/", "/admin/invoice-exports/", "/admin/tax-rates/"):
        response = page.goto(url)
        assert response.status == 403, url
    page.goto(f"/admin/customers/details/?id={shop['id']}")
    assert page.locator("#customer-ltv").count() == 0
    assert page.locator("#action-password_reset").is_visible()


def test_a_malicious_name_stays_text_in_the_toast(server, page, shop):
    evil = '<img src=x id=pwned onerror="window.pwned=1">'
    email = f"evil-{uuid.uuid4().hex[:6]}@example.com"
    with server.app.app_context():
        factories.user(email_addr=email, full_name=evil, verified=True)
    _sign_in(page, server, "support")
    page.wait_for_selector("#live-status[data-state=live]")
    token = requests.post(f"{server.url}/api/v1/auth/login",
                          json={"email": email, "password": factories.PASSWORD},
                          timeout=5).json()["access_token"]
    address = {**ADDRESS, "country": "de", "postal_code": "10115", "city": "Berlin"}
    placed = requests.post(f"{server.url}/api/v1/orders",
                           json={"lines": [{"product_id": shop["product_id"], "quantity": 1}],
                                 "shipping_address": address},
                           headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert placed.status_code == 201, placed.text
    toast = page.locator(".bo-toast", has_text=f"Order #{placed.json()['number']}")
    toast.wait_for(timeout=5000)
    assert evil in toast.inner_text()
    assert page.locator("#pwned").count() == 0
    assert page.evaluate("window.pwned === undefined")
