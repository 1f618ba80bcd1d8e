"""The invoice detail page says why reverse charge was or was not applied, shows the
latest VIES check of the buyer's VAT id, and lets finance run a check now."""
import html as html_lib

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.invoices import service as invoices
from app.invoices.models import Invoice
from app.tax.models import VatCheck
from tests import vies_server as fake
from tests.invoice_support import BUYER, FINANCE, draft_with_lines, rates

LIST = "/admin/invoices/"
FR_ID = "FR12345678901"
FR_BUYER = {**BUYER, "is_business": True, "tax_id": FR_ID,
            "address": {**BUYER["address"], "city": "Paris", "postal_code": "75002",
                        "country": "FR"}}


@pytest.fixture
def finance(app, login_as):
    rates()
    return login_as("finance")


def _draft(buyer=FR_BUYER):
    return draft_with_lines(("Consulting", 10, 10000, "standard"), currency="EUR", buyer=buyer)


def _page(bo, invoice_id) -> str:
    resp = bo.get(f"{LIST}details/?id={invoice_id}")
    assert resp.status_code == 200
    return html_lib.unescape(resp.get_data(as_text=True))


def _panel(page: str) -> str:
    return page.split('id="vat-treatment"', 1)[1].split('id="invoice-lines"', 1)[0]


def _check_now(bo, invoice_id) -> str:
    """Press the button, follow the redirect back: the detail page with the flash."""
    resp = bo.post(f"{LIST}{invoice_id}/vat-check/", token_from=f"{LIST}details/?id={invoice_id}")
    assert resp.status_code == 302 and resp.location.endswith(f"details/?id={invoice_id}")
    return _page(bo, invoice_id)


def test_unchecked_id_shows_why_normal_vat_and_offers_a_check(finance):
    bo, _ = finance
    draft = _draft()
    panel = _panel(_page(bo, draft.id))
    assert "VAT treatment: <strong>normal VAT</strong>" in panel
    assert f"VAT id {FR_ID} has not been verified with VIES: normal VAT." in panel
    assert f"No VIES check of <code>{FR_ID}</code> yet." in panel
    assert 'id="do-vat-check"' in panel


def test_check_now_stores_the_check_reprices_the_draft_and_shows_it(finance, vies):
    bo, _ = finance
    draft = _draft()
    assert draft.tax_amount == 20000
    page = _check_now(bo, draft.id)
    assert f"VIES: {FR_ID} is valid (ACME SARL)." in page
    panel = _panel(page)
    assert 'data-reverse-charge="yes"' in page and "reverse charge</strong>" in panel
    assert f"VAT id {FR_ID} verified by VIES on" in panel and "consultation WAPI678901" in panel
    assert "ACME SARL" in panel and "badge-success\">valid" in panel
    assert vies.requests == [{"countryCode": "FR", "vatNumber": "12345678901"}]
    db.session.expire_all()
    assert db.session.get(Invoice, draft.id).tax_amount == 0  # the draft follows the answer
    check = db.session.scalars(select(VatCheck)).one()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tax.vat_check")).one()
    assert entry.target_id == str(check.id) and entry.actor_label.startswith("finance")


def test_vies_unavailable_shows_not_verified(finance, vies):
    bo, _ = finance
    tax_id = "FR" + fake.SERVER_ERROR_NUMBER
    draft = _draft({**FR_BUYER, "tax_id": tax_id})
    page = _check_now(bo, draft.id)
    assert f"VIES could not verify {tax_id} (MS_UNAVAILABLE)" in page
    panel = _panel(page)
    assert "normal VAT</strong>" in panel and "not verified" in panel
    assert db.session.get(Invoice, draft.id).tax_amount == 20000


def test_address_in_another_country_is_the_reason_shown(finance, factories):
    from datetime import date

    from app.tax.service import create_rate

    bo, _ = finance
    create_rate("US", "standard", "0.07", "US standard", date(2020, 1, 1), actor=FINANCE)
    factories.vat_check(FR_ID, name="ACME SARL")
    draft = _draft({**FR_BUYER, "address": {**FR_BUYER["address"], "country": "US"}})
    panel = _panel(_page(bo, draft.id))
    assert ("The buyer's address country (US) does not match the VAT id's country (FR): "
            "normal VAT.") in panel
    assert "badge-success\">valid" in panel  # the id itself is fine; it is not this buyer's


def test_issued_invoice_shows_the_decision_at_finalisation(finance, factories):
    bo, _ = finance
    check = factories.vat_check(FR_ID, days_ago=29)
    invoice = invoices.finalise(_draft().id, actor=FINANCE)
    assert invoice.reverse_charge is True
    panel = _panel(_page(bo, invoice.id))
    assert "At finalisation (" in panel and "reverse charge</strong>" in panel
    assert f"verified by VIES on {check.checked_at:%Y-%m-%d}" in panel
    assert 'id="vat-treatment-differs"' not in panel


def test_stale_check_is_the_reason_shown(finance, factories):
    bo, _ = finance
    factories.vat_check(FR_ID, days_ago=45)
    panel = _panel(_page(bo, _draft().id))
    assert "is older than 30 days: check it again. Normal VAT." in panel


def test_consumer_buyer_needs_no_check(finance):
    bo, _ = finance
    panel = _panel(_page(bo, _draft(BUYER).id))
    assert "The buyer is not a business: normal VAT." in panel
    assert 'id="do-vat-check"' not in panel


def test_support_cannot_run_a_check(app, login_as, vies):
    rates()
    draft = _draft()
    bo, _ = login_as("support")
    resp = bo.post(f"{LIST}{draft.id}/vat-check/", token_from="/admin/")
    assert resp.status_code == 403
    assert vies.requests == [] and db.session.scalars(select(VatCheck)).all() == []
