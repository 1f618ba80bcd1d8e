"""End to end, in Chromium: a list's search saved under a name and re-applied, and its
filtered rows downloaded as XLSX; the audit log with actors by name and role linked to
their page; a refund above the approval threshold started from the customer's page waits
for a second staff member. Screenshots kept as artefacts (path printed)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests import factories
from tests import reporting_support as rs
from tests.e2e.test_dashboard import _shot, _sign_in
from tests.xlsx_support import read_cells

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def customers(live_server):
    from app.core.clock import business_date

    with live_server.app.app_context():
        tag = uuid.uuid4().hex[:6]
        grace = factories.user(email_addr=f"grace-{tag}@example.com", full_name="Grace Hopper")
        other = factories.user(email_addr=f"linus-{tag}@example.com", full_name="Linus Other")
        today = business_date()
        mine = [rs.sale(grace, net=2000 + n, when=rs.at(today - timedelta(days=n))).number
                for n in range(3)]
        big = rs.sale(grace, net=60000, when=rs.at(today))  # above the 500.00 threshold
        rs.sale(other, net=999, when=rs.at(today))
        from app.payments.models import Payment
        from sqlalchemy import select
        from app.extensions import db

        big_payment = db.session.scalars(select(Payment).where(Payment.order_id == big.id)).one()
        return {"grace": grace.id, "email": grace.email, "numbers": [*mine, big.number],
                "big_payment": big_payment.id}


def test_saved_filter_and_xlsx_of_the_filtered_rows(server, page, customers, tmp_path):
    _sign_in(page, server, "finance")
    page.goto("/admin/orders/")
    page.fill("input[name=search]", customers["email"])
    page.press("input[name=search]", "Enter")
    page.wait_for_url("**search=**")
    page.fill("#saved-filter-name", "Grace's orders")
    page.click("#save-filter")
    page.wait_for_selector("#saved-filters a:has-text(\"Grace's orders\")")
    assert "Filters saved" in page.inner_text("body")

    page.goto("/admin/orders/")
    page.click("#saved-filters a:has-text(\"Grace's orders\")")
    page.wait_for_url("**search=**")
    assert page.input_value("input[name=search]") == customers["email"]
    table = page.inner_text("table.model-list")
    assert all(f"#{n}" in table for n in customers["numbers"])
    assert "Linus" not in table
    _shot(page, "orders-saved-filter")

    page.click("a.nav-link:has-text('Export')")
    with page.expect_download() as info:
        page.click("a.dropdown-item:has-text('Export XLSX')")
    path = tmp_path / "orders.xlsx"
    info.value.save_as(path)
    cells = read_cells(path.read_bytes())
    numbers = {cell.value for ref, cell in cells.items() if ref[0] == "A" and ref != "A1"}
    assert numbers == {f"#{n}" for n in customers["numbers"]}


def test_audit_log_names_actors_and_links_them(server, page, customers):
    _sign_in(page, server, "admin")
    page.goto("/admin/audit/")
    # The sign-in just made is the newest entry: by name and role, not staff:<uuid>.
    first = page.locator("table.model-list tbody tr").first
    actor = first.locator("a", has_text="(admin)")
    assert actor.is_visible()
    assert "staff:" not in page.inner_text("table.model-list")
    assert " UTC" in first.inner_text()
    _shot(page, "audit-log")
    actor.click()
    page.wait_for_url("**/admin/staff/details/**")
    assert "admin" in page.inner_text("body")


def test_refund_above_threshold_from_the_customer_page_waits_for_approval(server, page,
                                                                         customers):
    _sign_in(page, server, "finance")
    page.goto(f"/admin/customers/details/?id={customers['grace']}")
    form = page.locator(f"#refund-{customers['big_payment']}")
    assert form.is_visible()
    assert form.locator("input[name=amount]").input_value() == "600.00"
    form.locator("input[name=reason]").fill("Returned, unopened")
    page.on("dialog", lambda dialog: dialog.accept())
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=needs a second staff member's approval")
    requests_table = page.inner_text("#customer-refund-requests")
    assert "Returned, unopened" in requests_table and "awaiting approval" in requests_table
    _shot(page, "customer-refund-request")


def test_a_long_jobs_progress_appears_on_the_open_dashboard(server, page):
    from app.core.uow import unit_of_work
    from app.invoices import exports, service
    from tests.invoice_support import FINANCE, draft_with_lines, rates

    _sign_in(page, server, "finance")
    page.wait_for_selector("#live-status[data-state=live]")
    assert "No long job running" in page.inner_text("#live-jobs")
    with server.app.app_context():
        rates()
        with unit_of_work():
            ids = [service.finalise(draft_with_lines(("Item", 1, 500, "standard"),
                                                     currency="GBP").id, actor=FINANCE).id
                   for _ in range(3)]
        with unit_of_work():  # the ZIP job runs right after this commit (embedded default)
            export_id = exports.request_zip(ids, actor=FINANCE).id
    line = page.locator(f"#live-jobs li[data-job-key='invoice_zip:{export_id}']")
    line.wait_for()
    page.wait_for_selector(f"#live-jobs li[data-job-key='invoice_zip:{export_id}'][data-status=done]",
                           timeout=5000)
    assert line.inner_text().strip() == "ZIP of invoice PDFs: ready (3)"
    assert line.locator("progress").get_attribute("max") == "3"
    assert page.locator("#live-feed a", has_text="ZIP of invoice PDFs: ready (3)").is_visible()
    _shot(page, "dashboard-job-progress")
