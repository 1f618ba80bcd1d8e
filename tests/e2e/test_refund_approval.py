"""End to end, maker-checker: finance A asks for a refund above the approval threshold,
cannot approve it (no button, and a hand-made POST is refused), finance B approves it
in another browser, the refund is made at localstripe and its credit note appears."""
import uuid

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import make_client
from tests.invoice_support import rates
from tests.payments_support import customer, paid_order
from tests.stripe_server import API_KEY

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"
_HAND_MADE_APPROVAL = """async (url) => {
  const token = document.querySelector('input[name=csrf_token]').value;
  const body = new URLSearchParams({csrf_token: token, decision: 'approve'});
  return await (await fetch(url, {method: 'POST', body})).text();
}"""


def _sign_in(page, email: str, next_url: str) -> None:
    page.goto(f"/admin/login?next={next_url}")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def test_refund_needs_a_second_finance_member(server, page, chromium, localstripe,
                                              monkeypatch):
    from app.extensions import db
    from app.payments.models import Refund, RefundRequest

    for name, value in (("STRIPE_API_KEY", API_KEY), ("STRIPE_API_BASE", localstripe.url),
                        ("REFUND_APPROVAL_THRESHOLD", {"GBP": 5000})):
        monkeypatch.setitem(server.app.config, name, value)
    with server.app.app_context():
        rates()
        anna = factories.staff("finance", email_addr=f"anna-{uuid.uuid4().hex[:6]}@nextgen.example").email
        bert = factories.staff("finance", email_addr=f"bert-{uuid.uuid4().hex[:6]}@nextgen.example").email
        client = make_client(server.app)
        _, headers = customer(client)
        _, payment = paid_order(client, headers, localstripe)  # 90.00 GBP, succeeded
    details = f"/admin/payments/details/?id={payment['id']}"

    _sign_in(page, anna, details)
    page.fill("#refund-amount", "60.00")
    page.fill("#refund-reason", "Returned in full")
    page.click("#refund-submit")
    page.wait_for_selector(".alert:has-text('needs a second staff member')")
    with server.app.app_context():
        request_id = db.session.scalars(select(RefundRequest.id)).one()
    page.goto("/admin/refund-requests/")
    assert page.locator(".bo-own-request").is_visible()
    assert page.locator(f"#approve-{request_id}").count() == 0
    refused = page.evaluate(_HAND_MADE_APPROVAL, f"/admin/refund-requests/{request_id}/decide/")
    assert "another staff member must decide" in refused
    page.screenshot(path=f"{SCREENSHOTS}/refund-approval-own.png", full_page=True)

    other = chromium.new_context(viewport={"width": 1366, "height": 860}, base_url=server.url)
    try:
        second = other.new_page()
        second.set_default_timeout(10_000)
        _sign_in(second, bert, "/admin/refund-requests/")
        second.click(f"#approve-{request_id}")
        second.wait_for_selector(".alert:has-text('Refund of 60.00')")
        second.goto(details)
        link = second.locator("#payment-refunds a.bo-credit-note")
        assert link.is_visible()
        second.screenshot(path=f"{SCREENSHOTS}/refund-approval-done.png", full_page=True)
        link.click()
        second.wait_for_selector("#invoice-title:has-text('Credit note')")
        # The credit note's page states what it credits, positive, as its PDF does.
        totals = second.locator("#invoice-totals").inner_text().replace("\u2212", "-")
        assert "Total credited" in totals and "60.00" in totals and "-60.00" not in totals
    finally:
        other.close()

    with server.app.app_context():
        refund = db.session.scalars(select(Refund)).one()
        assert (refund.status, refund.amount) == ("succeeded", 6000)
    assert [r["amount"] for r in localstripe.refunds()] == [6000]
