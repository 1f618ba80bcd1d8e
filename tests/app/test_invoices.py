"""Invoices: drafts, lines, tax, finalisation and numbering, states, credit notes."""
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.errors import Conflict, InvalidInput
from app.core.uow import unit_of_work
from app.extensions import db
from app.invoices import service
from app.invoices.models import Invoice, InvoiceCounter
from app.tax.vat_checks import verify_vat_id
from tests.invoice_support import BUYER, FINANCE, draft_with_lines, rates

YEAR = date.today().year


@pytest.fixture(autouse=True)
def _rates(app):
    rates()


def test_draft_totals_with_per_line_tax(app):
    invoice = draft_with_lines(("Widget", 3, 333, "standard"), ("Book", 1, 1099, "reduced"),
                               ("Export", 1, 500, "zero"))
    db.session.refresh(invoice)
    assert [l.tax_amount for l in invoice.lines] == [200, 55, 0]  # 199.8 -> 200, 54.95 -> 55
    assert invoice.subtotal_amount == 999 + 1099 + 500
    assert invoice.tax_amount == 255
    assert invoice.total_amount == invoice.subtotal_amount + invoice.tax_amount
    assert invoice.number is None and invoice.status == "draft"


def test_bad_lines_change_nothing(app, factories):
    from tests.orders_support import product

    invoice = draft_with_lines(("Widget", 1, 100, "standard"))
    usd = product(currency="USD")
    cases = [dict(description="x", quantity=-1, unit_amount=100),
             dict(description="x", quantity=1, unit_amount=100, tax_category="luxury"),
             dict(description="", quantity=1, unit_amount=100),
             dict(description="x", quantity=1, unit_amount=-5),
             dict(description="x", quantity=1, product_id=usd.id)]
    for case in cases:
        with pytest.raises(InvalidInput):
            service.add_line(invoice.id, actor=FINANCE, **case)
        db.session.rollback()
    db.session.refresh(invoice)
    assert len(invoice.lines) == 1 and invoice.total_amount == 120


def test_finalise_numbers_and_freezes(app):
    first = draft_with_lines(("A", 1, 1000, "standard"))
    second = draft_with_lines(("B", 2, 500, "standard"))
    with unit_of_work():
        assert service.finalise(first.id, actor=FINANCE).number == f"INV-{YEAR}-000001"
        assert service.finalise(second.id, actor=FINANCE).number == f"INV-{YEAR}-000002"
    assert first.seller["tax_id"] and first.issue_date == date.today() and first.due_date > date.today()
    with pytest.raises(Conflict):
        service.add_line(first.id, description="late", quantity=1, unit_amount=1, actor=FINANCE)
    db.session.rollback()
    with pytest.raises(Conflict):
        service.finalise(first.id, actor=FINANCE)
    db.session.rollback()


def test_empty_invoice_cannot_be_finalised(app):
    with unit_of_work():
        empty = service.create_draft(currency="GBP", buyer=BUYER, actor=FINANCE)
    with pytest.raises(Conflict):
        service.finalise(empty.id, actor=FINANCE)
    db.session.rollback()
    assert db.session.get(Invoice, empty.id).number is None


def test_failed_finalisation_burns_no_number(app, monkeypatch):
    a = draft_with_lines(("A", 1, 1000, "standard"))
    b = draft_with_lines(("B", 1, 1000, "standard"))

    def explode(*args, **kwargs):
        raise RuntimeError("crash after numbering")

    with monkeypatch.context() as m:
        m.setattr(service, "publish", explode)
        with pytest.raises(RuntimeError):
            service.finalise(a.id, actor=FINANCE)
    db.session.rollback()
    assert service.finalise(b.id, actor=FINANCE).number == f"INV-{YEAR}-000001"
    assert service.finalise(a.id, actor=FINANCE).number == f"INV-{YEAR}-000002"


def test_state_machine(app):
    invoice = draft_with_lines(("A", 1, 1000, "standard"))
    service.finalise(invoice.id, actor=FINANCE)
    service.send(invoice.id, actor=FINANCE)
    service.mark_paid(invoice.id, actor=FINANCE)
    with pytest.raises(Conflict, match="credit note"):
        service.cancel(invoice.id, actor=FINANCE)
    db.session.rollback()
    draft = draft_with_lines(("B", 1, 1000, "standard"))
    cancelled = service.cancel(draft.id, actor=FINANCE)
    assert cancelled.status == "cancelled" and cancelled.number is None
    with pytest.raises(Conflict):
        service.mark_paid(draft.id, actor=FINANCE)  # paying a cancelled invoice
    db.session.rollback()


def test_credit_note_is_exact_negative_in_its_own_series(app):
    invoice = draft_with_lines(("A", 3, 333, "standard"), ("B", 1, 1099, "reduced"))
    service.finalise(invoice.id, actor=FINANCE)
    note = service.issue_credit_note(invoice.id, actor=FINANCE)
    assert note.number == f"CN-{YEAR}-000001" and note.kind == "credit_note"
    assert note.credit_note_for_id == invoice.id
    assert (note.subtotal_amount, note.tax_amount, note.total_amount) == \
        (-invoice.subtotal_amount, -invoice.tax_amount, -invoice.total_amount)
    assert [l.gross_amount for l in note.lines] == [-l.gross_amount for l in invoice.lines]
    with pytest.raises(Conflict):
        service.issue_credit_note(invoice.id, actor=FINANCE)
    db.session.rollback()


def test_reverse_charge_for_eu_business_buyer(app, vies):
    # Reverse charge needs a VIES-verified id (tests/app/test_reverse_charge.py has the rest).
    verify_vat_id("FR12345678901", actor=FINANCE)
    buyer = {**BUYER, "is_business": True, "tax_id": "FR 12 345678901",
             "address": {**BUYER["address"], "country": "FR"}}
    invoice = draft_with_lines(("Consulting", 10, 10000, "standard"), currency="EUR", buyer=buyer)
    service.finalise(invoice.id, actor=FINANCE)
    assert invoice.reverse_charge is True and invoice.tax_amount == 0
    assert invoice.buyer["tax_id"] == "FR12345678901"
    consumer = draft_with_lines(("Consulting", 10, 10000, "standard"), currency="EUR",
                                buyer={**BUYER, "address": {**BUYER["address"], "country": "FR"}})
    assert consumer.reverse_charge is False and consumer.tax_amount == 20000


def test_invalid_tax_id_is_refused(app):
    with pytest.raises(InvalidInput):
        service.create_draft(currency="EUR", buyer={**BUYER, "tax_id": "12"}, actor=FINANCE)


def test_buyer_snapshot_survives_profile_edits(app, factories):
    from app.users import service as users
    from app.core.actor import Actor

    user = factories.user(full_name="Old Name")
    invoice = service.create_draft(currency="GBP", buyer={**BUYER, "name": "Old Name"},
                                   customer_id=user.id, actor=FINANCE)
    service.add_line(invoice.id, description="A", quantity=1, unit_amount=100,
                     tax_category="standard", actor=FINANCE)
    service.finalise(invoice.id, actor=FINANCE)
    users.update_profile(user.id, {"full_name": "New Name"}, actor=Actor(kind="user", id=user.id))
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).buyer["name"] == "Old Name"


def test_effective_dated_rates(app):
    from app.tax import service as tax

    old = db.session.scalars(select(tax.TaxRate).where(tax.TaxRate.country == "DE",
                                                       tax.TaxRate.tax_category == "standard")).one()
    tax.end_rate(old.id, date(2020, 6, 30), actor=FINANCE)
    tax.create_rate("DE", "standard", "0.16", "DE 16 %", date(2020, 7, 1), date(2020, 12, 31), actor=FINANCE)
    tax.create_rate("DE", "standard", "0.19", "DE 19 %", date(2021, 1, 1), actor=FINANCE)
    assert str(tax.rate_for("DE", None, "standard", date(2020, 8, 1))) == "0.160000"
    assert str(tax.rate_for("DE", None, "standard", date(2021, 8, 1))) == "0.190000"
    with pytest.raises(InvalidInput):
        tax.rate_for("JP", None, "standard", date(2021, 8, 1))


def test_order_paid_issues_its_invoice(app, factories):
    from app.core.actor import Actor
    from app.orders import service as orders
    from tests.orders_support import ADDRESS, product

    user = factories.user()
    p = product(currency="GBP", price=1000)
    with unit_of_work():  # the invoice is issued by the order.paid handler, after commit
        order = orders.place(user.id, [{"product_id": p.id, "quantity": 2}], ADDRESS,
                             actor=Actor(kind="user", id=user.id))
        orders.mark_paid(order.id, actor=FINANCE)
    invoice = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).one()
    assert invoice.number == f"INV-{YEAR}-000001" and invoice.customer_id == user.id
    assert invoice.total_amount == 2400  # 2 x 10.00 + 20 % UK VAT


def test_overdue_reminders_are_requested_once_a_week(app):
    invoice = draft_with_lines(("A", 1, 1000, "standard"))
    service.finalise(invoice.id, actor=FINANCE)
    service.send(invoice.id, actor=FINANCE)
    later = invoice.due_date.replace(year=invoice.due_date.year + 1)
    assert service.request_reminders(later) == 1
    assert service.request_reminders(later) == 0  # not again within the week


def test_hundred_concurrent_finalisations_are_gapless(pg_app):
    rates()
    ids = [str(draft_with_lines(("A", 1, 100, "standard")).id) for _ in range(100)]
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "APP_ENV": "testing", "SECRET_KEY": pg_app.config["SECRET_KEY"],
           "DATABASE_URL": pg_app.config["SQLALCHEMY_DATABASE_URI"],
           "INSTANCE_PATH": pg_app.config["INSTANCE_PATH"], "MAIL_BACKEND": "log",
           "LOG_LEVEL": "ERROR", "THREADS": "8"}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.invoice_finaliser", *ids[i::4]],
                              cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in range(4)]
    numbers = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-2000:]
        numbers += out.split()
    expected = [f"INV-{YEAR}-{n:06d}" for n in range(1, 101)]
    assert sorted(numbers) == expected
    db.session.expire_all()
    assert db.session.get(InvoiceCounter, f"INV-{YEAR}").last_number == 100
