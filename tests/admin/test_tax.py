"""Tax rates in the back office: listed as percentages, created and ended through
app.tax.service (audited); never edited in place, never deleted."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.tax.models import TaxRate
from tests.invoice_support import rates

RATES = "/admin/tax-rates/"


def _rate(**where) -> TaxRate:
    db.session.expire_all()
    return db.session.scalars(select(TaxRate).filter_by(**where)).one()


def test_list_shows_rates_as_percent(app, login_as):
    rates()
    bo, _ = login_as("finance")
    html = bo.get(RATES).get_data(as_text=True)
    for text in ("GB", "DE", "FR", "reduced", "19 %", "7 %", "5 %", "in force", "2020-01-01"):
        assert text in html, text
    assert f"{RATES}end/?id=" in html
    assert bo.get(f"{RATES}?flt0_country_equals=DE").status_code == 200


def test_create_rate(app, login_as):
    bo, staff = login_as("finance")
    resp = bo.post(f"{RATES}new/", {"country": "at", "region": "", "category": "reduced",
                                    "rate_percent": "10.5", "name": "AT reduced",
                                    "valid_from": "2026-01-01", "valid_to": ""})
    assert resp.status_code == 302 and resp.location.endswith(RATES)
    row = _rate(country="AT")
    assert row.rate == Decimal("0.1050") and row.tax_category == "reduced"
    assert row.valid_from == date(2026, 1, 1) and row.valid_to is None and row.region is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tax_rate.create")).one()
    assert entry.actor_id == staff.id and Decimal(entry.after["rate"]) == Decimal("0.105")
    assert "10.5 %" in bo.get(RATES).get_data(as_text=True)


def test_rate_with_three_decimals_of_a_percent(app, login_as):
    """New York City's combined 8.875 % sales tax: six decimals of a fraction."""
    bo, _ = login_as("admin")
    form = {"country": "US", "region": "ny", "category": "standard", "rate_percent": "8.875",
            "name": "NYC sales tax", "valid_from": "2020-01-01", "valid_to": ""}
    bo.post(f"{RATES}new/", form)
    row = _rate(country="US")
    assert row.rate == Decimal("0.08875") and row.region == "NY"
    assert "8.875 %" in bo.get(RATES).get_data(as_text=True)
    from app.tax import service as tax

    assert tax.rate_for("US", "Ny", "standard", date(2026, 1, 1)) == Decimal("0.08875")


@pytest.mark.parametrize("data,message", [
    ({"rate_percent": "150"}, "Number must be between"),
    ({"country": "Germany"}, "two-letter"),
    ({"rate_percent": "19.1234567"}, "6 decimals at most"),
    ({"valid_to": "2019-01-01"}, "The rate ends before it starts."),
])
def test_invalid_rate_is_refused(app, login_as, data, message):
    bo, _ = login_as("admin")
    form = {"country": "DE", "category": "standard", "rate_percent": "19", "name": "",
            "valid_from": "2020-01-01", "valid_to": "", **data}
    resp = bo.post(f"{RATES}new/", form)
    assert resp.status_code == 200
    assert message in resp.get_data(as_text=True)
    assert db.session.scalars(select(TaxRate)).all() == []


def test_end_rate(app, login_as):
    rates()
    bo, staff = login_as("finance")
    row = _rate(country="DE", tax_category="standard")
    page = bo.get(f"{RATES}end/?id={row.id}").get_data(as_text=True)
    assert "DE standard" in page and "19 %" in page
    resp = bo.post(f"{RATES}end/?id={row.id}", {"valid_to": "2026-06-30"})
    assert resp.status_code == 302
    assert _rate(id=row.id).valid_to == date(2026, 6, 30)
    assert _rate(id=row.id).rate == Decimal("0.1900")  # nothing else changes
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tax_rate.end")).one()
    assert entry.actor_id == staff.id and entry.after == {"valid_to": "2026-06-30"}
    assert "ends on 2026-06-30" in bo.get(RATES).get_data(as_text=True)


def test_end_before_start_is_a_message(app, login_as):
    rates()
    bo, _ = login_as("finance")
    row = _rate(country="DE", tax_category="standard")
    resp = bo.post(f"{RATES}end/?id={row.id}", {"valid_to": "2019-12-31"})
    assert resp.status_code == 200
    assert "The rate ends before it starts." in resp.get_data(as_text=True)
    assert _rate(id=row.id).valid_to is None


def test_no_edit_no_delete_and_support_refused(app, login_as):
    rates()
    row = _rate(country="DE", tax_category="standard")
    bo, _ = login_as("admin")
    assert bo.get(f"{RATES}edit/?id={row.id}").status_code == 403
    resp = bo.post(f"{RATES}delete/", {"id": str(row.id)}, token_from=RATES)
    assert resp.status_code == 403
    assert "/edit/" not in bo.get(RATES).get_data(as_text=True)

    support, _ = login_as("support")
    assert support.get(RATES).status_code == 403
    resp = support.post(f"{RATES}end/?id={row.id}", {"valid_to": "2026-06-30"},
                        token_from="/admin/")
    assert resp.status_code == 403
    resp = support.post(f"{RATES}new/", {"country": "AT"}, token_from="/admin/")
    assert resp.status_code == 403
    assert _rate(id=row.id).valid_to is None
    assert len(db.session.scalars(select(TaxRate)).all()) == 5
