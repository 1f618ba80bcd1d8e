"""End to end, finance: select invoices, start a ZIP export of their PDFs, watch the
progress bar fill over Socket.IO, download the ZIP."""
import io
import uuid
import zipfile

import pytest

from tests import factories
from tests.invoice_support import FINANCE, draft_with_lines, rates

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"
COUNT = 6


def _finance_and_invoices(server) -> tuple[str, list[str]]:
    from app.core.uow import unit_of_work
    from app.invoices import service as invoices

    with server.app.app_context():
        email = factories.staff("finance", email_addr=f"fin-{uuid.uuid4().hex[:8]}@nextgen.example").email
        rates()
        numbers = []
        for n in range(COUNT):
            draft = draft_with_lines((f"Consulting day {n + 1}", n + 1, 65_000, "standard"),
                                     ("Travel", 1, 12_050, "reduced"))
            with unit_of_work():
                numbers.append(invoices.finalise(draft.id, actor=FINANCE).number)
        return email, numbers


def test_finance_exports_selected_pdfs_with_live_progress(server, page, monkeypatch):
    from app.invoices import exports

    email, numbers = _finance_and_invoices(server)
    # No worker picks the job up by itself: the test plays the worker once the page
    # is connected, so the bar is seen filling live instead of arriving complete.
    monkeypatch.setattr("app.invoices.exports.build_zip_job", lambda evt: None)
    monkeypatch.setitem(server.app.config, "EXPORT_PROGRESS_EVERY", 1)
    sockets, requested = [], []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("request", lambda req: requested.append(req.url))
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto("/admin/login?next=/admin/invoices/")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/admin/invoices/")
    for number in numbers:
        assert page.locator("a.bo-invoice-link", has_text=number).is_visible()
    page.screenshot(path=f"{SCREENSHOTS}/finance-invoices.png", full_page=True)

    page.check("input.action-rowtoggle")
    page.click("a.dropdown-toggle:has-text('With selected')")
    page.click("a.dropdown-item:has-text('Download PDFs (ZIP)')")
    page.wait_for_url("**/admin/invoice-exports/*/")
    page.wait_for_selector("#export-live[data-state=live]")
    box = page.locator("#export")
    assert box.get_attribute("data-status") == "pending"
    assert page.locator("#export-bar").inner_text().strip() == "0%"
    assert not page.locator("#export-download").is_visible()

    with server.app.app_context():
        exports.build_zip(box.get_attribute("data-export-id"))

    page.wait_for_selector("#export[data-status=done]")
    assert page.locator("#export-bar").inner_text().strip() == "100%"
    assert page.locator("#export-done").inner_text() == str(COUNT)
    assert page.locator("#export-download").is_visible()
    page.wait_for_timeout(700)  # let the bar's width transition finish for the picture
    page.screenshot(path=f"{SCREENSHOTS}/finance-export-done.png", full_page=True)

    with page.expect_download() as info:
        page.click("#export-download")
    with open(info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert sorted(archive.namelist()) == sorted(f"{n}.pdf" for n in numbers)
    # The download is on the record (#13 finding 8): the audit log shows who took how many,
    # by name and role, linked to the staff member's page.
    page.goto("/admin/audit/")
    row = page.locator("tr", has=page.locator("td", has_text="data.export")).first
    assert "Test finance (finance)" in row.inner_text() and "invoice_pdfs" in row.inner_text()
    assert "/admin/staff/details/?id=" in row.locator("a", has_text="(finance)").get_attribute("href")

    assert sockets and all("transport=websocket" in url for url in sockets), sockets
    assert not any("transport=polling" in url for url in requested)
    assert not [url for url in requested if not url.startswith(server.url)]

    # The detail page of one of them, for the record.
    page.goto("/admin/invoices/")
    page.click(f"a.bo-invoice-link:has-text('{numbers[-1]}')")
    page.wait_for_selector("#invoice-lines")
    page.screenshot(path=f"{SCREENSHOTS}/finance-invoice-detail.png", full_page=True)

    page.goto("/admin/tax-rates/")
    assert page.locator("td", has_text="19 %").count() == 1
    page.screenshot(path=f"{SCREENSHOTS}/finance-tax-rates.png", full_page=True)
