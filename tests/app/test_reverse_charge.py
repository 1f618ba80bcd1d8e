"""Reverse charge only for a business buyer whose VAT id VIES confirmed recently: the VIES
adapter (against a local fake VIES, tests/vies_server.py), the stored checks, and the
decision with its reason, on invoices and alone."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.errors import InvalidInput
from app.core.types import utcnow
from app.extensions import db
from app.tax import vies as vies_adapter
from app.tax.models import VatCheck
from app.tax.reverse_charge import reverse_charge_decision
from app.tax.service import reverse_charge_applies
from app.tax.vat_checks import latest_check, verify_vat_id
from config import load
from tests import vies_server as fake
from tests.invoice_support import BUYER, FINANCE, draft_with_lines, rates

FR_ID = "FR12345678901"
FR_BUYER = {**BUYER, "is_business": True, "tax_id": FR_ID,
            "address": {**BUYER["address"], "city": "Paris", "postal_code": "75002",
                        "country": "FR"}}


def fr_buyer(tax_id=FR_ID, **address):
    return {**FR_BUYER, "tax_id": tax_id, "address": {**FR_BUYER["address"], **address}}


def consulting(buyer):
    return draft_with_lines(("Consulting", 10, 10000, "standard"), currency="EUR", buyer=buyer)


@pytest.fixture
def _rates(app):
    rates()


# ---------------------------------------------------------------- the VIES adapter

def test_valid_id_is_stored_with_its_date_and_audited(app, vies):
    before = utcnow()
    row = verify_vat_id("fr 12 345 678 901", actor=FINANCE)
    assert vies.requests == [{"countryCode": "FR", "vatNumber": "12345678901"}]
    db.session.expire_all()
    stored = db.session.get(VatCheck, row.id)
    assert (stored.tax_id, stored.country, stored.valid, stored.error) == (FR_ID, "FR", True, None)
    assert stored.name == "ACME SARL" and stored.address == "1 RUE DE LA PAIX\n75002 PARIS"
    assert stored.request_id == "WAPI678901"
    assert before <= stored.checked_at <= utcnow() and stored.checked_at.tzinfo is not None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tax.vat_check")).one()
    assert entry.target_id == str(row.id) and entry.after["valid"] is True


def test_greek_ids_are_checked_as_el_and_stored_as_gr(app, vies):
    row = verify_vat_id("EL123456789", actor=FINANCE)
    assert vies.requests == [{"countryCode": "EL", "vatNumber": "123456789"}]
    assert row.valid and row.country == "GR"


def test_undisclosed_name_and_address_are_empty_not_dashes(app, vies):
    row = verify_vat_id("NL123456789B01", actor=FINANCE)
    assert row.valid and row.name is None and row.address is None


def test_invalid_id_is_stored_invalid(app, vies):
    row = verify_vat_id("FR" + fake.INVALID_NUMBER, actor=FINANCE)
    assert row.valid is False and row.error is None and row.request_id is None


@pytest.mark.parametrize("number", [fake.UNAVAILABLE_NUMBER, fake.SERVER_ERROR_NUMBER])
def test_member_state_unavailable_is_not_verified(app, vies, number):
    row = verify_vat_id("FR" + number, actor=FINANCE)
    assert row.valid is False and row.error == "MS_UNAVAILABLE"


def test_timeout_is_not_verified(app, vies):
    started = time.monotonic()
    row = verify_vat_id("FR" + fake.SLOW_NUMBER, actor=FINANCE)
    assert time.monotonic() - started < fake.SLOW_SECONDS
    assert row.valid is False and row.error == "TIMEOUT"


def test_unreachable_vies_is_not_verified(app):
    # The tests' default VIES_URL is a closed local port.
    row = verify_vat_id(FR_ID, actor=FINANCE)
    assert row.valid is False and row.error == "UNREACHABLE"


@pytest.mark.parametrize("tax_id", [None, "12", "FR", "US123456789"])
def test_malformed_or_non_eu_ids_are_refused_without_asking(app, vies, tax_id):
    with pytest.raises(InvalidInput):
        verify_vat_id(tax_id, actor=FINANCE)
    assert vies.requests == [] and db.session.scalars(select(VatCheck)).all() == []


@pytest.mark.parametrize("body, error", [
    ([], "BAD_RESPONSE"), ({}, "BAD_RESPONSE"), ({"valid": "true"}, "BAD_RESPONSE"),
    ({"valid": True, "userError": "MS_MAX_CONCURRENT_REQ"}, "MS_MAX_CONCURRENT_REQ"),
    ({"actionSucceed": False, "errorWrappers": [{"error": "TIMEOUT"}]}, "TIMEOUT"),
])
def test_anything_but_a_clear_answer_is_a_failure(body, error):
    result = vies_adapter.parse(body)
    assert result.valid is False and result.error == error


def test_configuration_defaults():
    cfg = load({"APP_ENV": "testing", "SECRET_KEY": "x"})
    assert cfg["VIES_URL"] == "https://ec.europa.eu/taxation_customs/vies/rest-api"
    assert cfg["VAT_CHECK_MAX_AGE_DAYS"] == 30 and cfg["VIES_TIMEOUT_SECONDS"] > 0
    assert load({"APP_ENV": "testing", "SECRET_KEY": "x", "VIES_URL": "http://vies.local/api/",
                 "VAT_CHECK_MAX_AGE_DAYS": "7"})["VIES_URL"] == "http://vies.local/api"


# ---------------------------------------------------------------- on invoices

def test_verified_id_gives_reverse_charge(app, vies, _rates):
    verify_vat_id(FR_ID, actor=FINANCE)
    invoice = consulting(FR_BUYER)
    assert invoice.reverse_charge is True and invoice.tax_amount == 0
    assert invoice.total_amount == invoice.subtotal_amount == 100000


def test_invalid_id_gives_normal_vat(app, vies, _rates):
    tax_id = "FR" + fake.INVALID_NUMBER
    verify_vat_id(tax_id, actor=FINANCE)
    invoice = consulting(fr_buyer(tax_id))
    assert invoice.reverse_charge is False and invoice.tax_amount == 20000
    assert "not valid" in reverse_charge_decision("DE", invoice.buyer).reason


def test_id_never_checked_gives_normal_vat(app, _rates):
    invoice = consulting(FR_BUYER)  # the format alone is no longer enough
    assert invoice.reverse_charge is False and invoice.tax_amount == 20000
    assert "has not been verified" in reverse_charge_decision("DE", FR_BUYER).reason


def test_french_id_with_us_address_gives_no_reverse_charge(app, vies, _rates):
    from datetime import date

    from app.tax.service import create_rate

    create_rate("US", "standard", "0.07", "US standard", date(2020, 1, 1), actor=FINANCE)
    verify_vat_id(FR_ID, actor=FINANCE)  # a real, valid id: just not this buyer's country
    buyer = fr_buyer(city="Austin", postal_code="78701", country="US")
    invoice = consulting(buyer)
    assert invoice.reverse_charge is False and invoice.tax_amount == 7000
    assert reverse_charge_decision("DE", buyer).reason == (
        "The buyer's address country (US) does not match the VAT id's country (FR): normal VAT.")


def test_vies_unavailable_gives_normal_vat(app, vies, _rates):
    tax_id = "FR" + fake.UNAVAILABLE_NUMBER
    verify_vat_id(tax_id, actor=FINANCE)
    invoice = consulting(fr_buyer(tax_id))
    assert invoice.reverse_charge is False and invoice.tax_amount == 20000
    reason = reverse_charge_decision("DE", invoice.buyer).reason
    assert "could not verify" in reason and "MS_UNAVAILABLE" in reason


def test_stale_check_gives_normal_vat(app, factories, _rates):
    factories.vat_check(FR_ID, days_ago=31)
    invoice = consulting(FR_BUYER)
    assert invoice.reverse_charge is False and invoice.tax_amount == 20000
    assert "older than 30 days" in reverse_charge_decision("DE", FR_BUYER).reason


def test_maximum_age_comes_from_configuration(app, factories, monkeypatch):
    factories.vat_check(FR_ID, days_ago=10)
    assert reverse_charge_applies("DE", FR_BUYER)
    monkeypatch.setitem(app.config, "VAT_CHECK_MAX_AGE_DAYS", 7)
    assert not reverse_charge_applies("DE", FR_BUYER)


# ---------------------------------------------------------------- which check counts

def test_a_later_invalid_answer_overrides_an_earlier_valid_one(app, factories):
    factories.vat_check(FR_ID, days_ago=5)
    factories.vat_check(FR_ID, valid=False, days_ago=1)
    assert not reverse_charge_applies("DE", FR_BUYER)


def test_vies_failing_later_does_not_undo_a_recent_valid_answer(app, factories):
    # "No answer" says nothing about the id: the recent valid answer still stands.
    factories.vat_check(FR_ID, days_ago=5)
    factories.vat_check(FR_ID, error="MS_UNAVAILABLE", days_ago=1)
    assert reverse_charge_applies("DE", FR_BUYER)
    assert latest_check(FR_ID).error == "MS_UNAVAILABLE"


def test_decision_as_of_a_moment_uses_only_checks_known_then(app, factories):
    check = factories.vat_check(FR_ID, days_ago=2)
    assert not reverse_charge_decision("DE", FR_BUYER, at=utcnow() - timedelta(days=3)).applies
    decision = reverse_charge_decision("DE", FR_BUYER, at=check.checked_at + timedelta(days=1))
    assert decision.applies and "verified by VIES on" in decision.reason


@pytest.mark.parametrize("seller, buyer, reason", [
    ("DE", {**FR_BUYER, "is_business": False}, "not a business"),
    ("DE", {**FR_BUYER, "tax_id": None}, "no VAT id"),
    ("DE", {**FR_BUYER, "tax_id": "12"}, "not an EU VAT id"),
    ("FR", FR_BUYER, "domestic supply"),
    ("US", FR_BUYER, "not in the EU"),
    ("DE", {**FR_BUYER, "tax_id": "GB123456789",
            "address": {**FR_BUYER["address"], "country": "GB"}}, "not from an EU member state"),
])
def test_what_rules_reverse_charge_out_even_with_a_valid_check(app, factories, seller, buyer,
                                                               reason):
    factories.vat_check(FR_ID)
    factories.vat_check("GB123456789")
    decision = reverse_charge_decision(seller, buyer)
    assert decision.applies is False and reason in decision.reason


def test_greek_buyer_with_el_id_and_gr_address(app, factories):
    factories.vat_check("EL123456789")
    buyer = {**FR_BUYER, "tax_id": "EL123456789",
             "address": {**FR_BUYER["address"], "country": "GR"}}
    applies, reason = reverse_charge_decision("DE", buyer)
    assert applies and "EL123456789" in reason
