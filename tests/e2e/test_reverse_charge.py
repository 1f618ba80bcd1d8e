"""End to end, finance: a draft for a French business is at normal VAT until its VAT id
is checked; the detail page says why, and one click on "Check VAT id with VIES now"
(against the local fake VIES) turns it into a reverse-charge invoice."""
import uuid

import pytest

from tests import factories
from tests.invoice_support import BUYER, FINANCE, draft_with_lines, rates

pytestmark = pytest.mark.e2e

FR_BUYER = {**BUYER, "is_business": True, "tax_id": "FR12345678901",
            "address": {**BUYER["address"], "city": "Paris", "postal_code": "75002",
                        "country": "FR"}}


def test_finance_sees_why_and_checks_the_vat_id(server, page, monkeypatch, _fake_vies):
    monkeypatch.setitem(server.app.config, "VIES_URL", _fake_vies.url)
    with server.app.app_context():
        email = factories.staff("finance",
                                email_addr=f"fin-{uuid.uuid4().hex[:8]}@nextgen.example").email
        rates()
        draft = draft_with_lines(("Consulting", 10, 10000, "standard"), currency="EUR",
                                 buyer=FR_BUYER)
        draft_id = draft.id

    page.goto(f"/admin/login?next=/admin/invoices/details/?id={draft_id}")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#vat-treatment")
    reason = page.locator("#reverse-charge-reason")
    assert "has not been verified with VIES: normal VAT." in reason.inner_text()
    assert "Tax\t200.00 EUR" in page.locator("#invoice-totals").inner_text()  # 20 % VAT

    page.click("#do-vat-check")
    page.wait_for_selector("#vat-treatment[data-reverse-charge=yes]")
    assert "verified by VIES on" in page.locator("#reverse-charge-reason").inner_text()
    check = page.locator("#vat-check")
    assert check.locator(".badge-success").is_visible() and "ACME SARL" in check.inner_text()
    assert "is valid (ACME SARL)" in page.locator(".alert").first.inner_text()
    totals = page.locator("#invoice-totals").inner_text()
    assert "Tax\t0.00 EUR" in totals and "Total\t1,000.00 EUR" in totals  # the buyer accounts
    page.screenshot(path="/tmp/finance-reverse-charge.png", full_page=True)
