"""Money that agrees with itself: partial and capped credit notes, the sums of an
invoice, issued invoices that cannot change (model and database), business dates in the
seller's time zone, reminders and emails that follow what is due."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select, text, update

from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput
from app.extensions import db
from app.invoices import service
from app.invoices.models import ImmutableInvoice, Invoice, InvoiceLine
from tests.invoice_support import BUYER, FINANCE, act, backdate_due, draft_with_lines, rates


@pytest.fixture(autouse=True)
def _rates(app):
    rates()


def _issued(*lines):
    invoice = draft_with_lines(*(lines or (("Widget", 4, 2500, "standard"),
                                           ("Book", 3, 1000, "reduced"))))
    act(service.finalise, invoice.id, actor=FINANCE)
    return _fresh(invoice.id)


def _fresh(invoice_id) -> Invoice:
    db.session.expire_all()
    return db.session.get(Invoice, invoice_id)


def _count(model=Invoice) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_credit_by_lines_and_quantities_then_the_rest(app):
    invoice = _issued()  # 4 x 25.00 @ 20 % + 3 x 10.00 @ 5 % = 120.00 + 31.50
    widget, book = invoice.lines
    note = act(service.issue_credit_note, invoice.id, actor=FINANCE, reason="One returned",
                                     lines=[{"line_id": str(widget.id), "quantity": 1}])
    assert [(l.quantity, l.net_amount, l.tax_amount) for l in note.lines] == [(1, -2500, -500)]
    assert note.lines[0].credits_line_id == widget.id
    invoice = _fresh(invoice.id)
    assert invoice.amount_credited == 3000 and invoice.amount_due == 15150 - 3000
    assert invoice.status == "finalised"
    rest = act(service.issue_credit_note, invoice.id, actor=FINANCE)
    assert rest.total_amount == -(15150 - 3000)
    assert [(l.quantity, l.credits_line_id) for l in rest.lines] == [(3, widget.id), (3, book.id)]
    invoice = _fresh(invoice.id)
    assert invoice.status == "credited" and invoice.amount_credited == invoice.total_amount
    assert invoice.amount_due == 0


def test_credit_by_amount_splits_tax_in_proportion_exactly(app):
    invoice = _issued(("A", 1, 999, "standard"), ("B", 1, 1, "reduced"), ("C", 1, 500, "exempt"))
    note = act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=1001)
    assert note.total_amount == -1001
    assert sum(l.net_amount + l.tax_amount for l in note.lines) == -1001
    assert all(l.net_amount + l.tax_amount == l.gross_amount for l in note.lines)
    exempt = next(l for l in note.lines if l.tax_category == "exempt")
    assert exempt.tax_amount == 0  # an exempt line never gets tax back
    assert all(l.quantity == 0 for l in note.lines)  # a reduction: no goods came back
    left = _fresh(invoice.id).total_amount - 1001
    last = act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=left)
    invoice = _fresh(invoice.id)
    assert invoice.amount_credited == invoice.total_amount
    # Line by line, the credits add up to exactly the invoiced amounts.
    for line in invoice.lines:
        credited = db.session.execute(select(
            func.sum(InvoiceLine.net_amount), func.sum(InvoiceLine.tax_amount))
            .where(InvoiceLine.credits_line_id == line.id)).one()
        assert (-credited[0], -credited[1]) == (line.net_amount, line.tax_amount)
    assert last.number.startswith("CN-")


@pytest.mark.parametrize("kwargs, error", [
    ({"amount": 15151}, InvalidInput),  # more than the total
    ({"amount": 0}, InvalidInput),
    ({"amount": -5}, InvalidInput),
    ({"amount": 10, "lines": []}, InvalidInput),
    ({"lines": [{"line_id": "not-a-line", "quantity": 1}]}, InvalidInput),
    ({"lines": "everything"}, InvalidInput),
])
def test_bad_credit_notes_are_refused_and_change_nothing(app, kwargs, error):
    invoice = _issued()
    before = _count(), _count(InvoiceLine)
    with pytest.raises(error):
        act(service.issue_credit_note, invoice.id, actor=FINANCE, **kwargs)
    db.session.rollback()
    assert (_count(), _count(InvoiceLine)) == before
    assert _fresh(invoice.id).amount_credited == 0


def test_more_units_than_are_left_are_refused(app):
    invoice = _issued()
    widget = invoice.lines[0]
    act(service.issue_credit_note, invoice.id, actor=FINANCE,
                              lines=[{"line_id": str(widget.id), "quantity": 3}])
    with pytest.raises(InvalidInput) as refused:
        act(service.issue_credit_note, invoice.id, actor=FINANCE,
                                  lines=[{"line_id": str(widget.id), "quantity": 2}])
    assert "1" in str(refused.value.errors)


def test_drafts_and_void_invoices_cannot_be_credited(app):
    draft = draft_with_lines(("A", 1, 100, "standard"))
    with pytest.raises(Conflict):
        act(service.issue_credit_note, draft.id, actor=FINANCE)
    void = _issued()
    act(service.cancel, void.id, actor=FINANCE)
    with pytest.raises(Conflict):
        act(service.issue_credit_note, void.id, actor=FINANCE)
    assert _count() == 2


def test_void_is_refused_once_anything_is_credited(app):
    invoice = _issued()
    note = act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=100)
    with pytest.raises(Conflict):
        act(service.cancel, invoice.id, actor=FINANCE)
    with pytest.raises(Conflict):  # nor is the credit note itself voided
        act(service.cancel, note.id, actor=FINANCE)
    assert _fresh(invoice.id).status == "finalised" and _fresh(note.id).status == "finalised"


def test_a_fully_credited_invoice_is_not_payable_nor_reminded(app):
    invoice = _issued()
    act(service.send, invoice.id, actor=FINANCE)
    act(service.issue_credit_note, invoice.id, actor=FINANCE)
    backdate_due(invoice.id, 30)
    with pytest.raises(Conflict):
        act(service.mark_paid, invoice.id, actor=FINANCE)
    assert service.overdue() == []
    assert _fresh(invoice.id).status == "credited"


def test_paying_after_a_partial_credit_pays_what_is_due(app):
    invoice = _issued()
    act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=5150)
    paid = act(service.mark_paid, invoice.id, actor=FINANCE, reference="TRF-991")
    assert (paid.amount_paid, paid.amount_credited, paid.amount_due) == (10000, 5150, 0)
    assert paid.payment_reference == "TRF-991"
    assert paid.amount_paid + paid.amount_credited == paid.total_amount


def test_credit_notes_are_never_reminded(app):
    invoice = _issued()
    note = act(service.issue_credit_note, invoice.id, actor=FINANCE)
    act(service.send, note.id, actor=FINANCE)
    backdate_due(note.id, 30)
    assert note.id not in service.overdue()


def test_issued_invoices_refuse_changes_in_the_model(app):
    invoice = _issued()
    invoice.total_amount += 1
    with pytest.raises(ImmutableInvoice):
        db.session.flush()
    db.session.rollback()
    invoice = _fresh(invoice.id)
    invoice.lines[0].quantity = 99
    with pytest.raises(ImmutableInvoice):
        db.session.flush()
    db.session.rollback()
    invoice = _fresh(invoice.id)
    invoice.buyer = {**invoice.buyer, "name": "Someone else"}
    with pytest.raises(ImmutableInvoice):
        db.session.flush()
    db.session.rollback()
    # What still moves: its state and sums, its PDF, its reminders.
    invoice = _fresh(invoice.id)
    invoice.pdf_status = "ready"
    db.session.commit()


def test_unknown_currencies_are_refused(app):
    for code in ("ZZZ", "EURO", "", "eu"):
        with pytest.raises(InvalidInput):
            act(service.create_draft, currency=code, buyer=BUYER, actor=FINANCE)
    assert _count() == 0
    assert act(service.create_draft, currency="kwd", buyer=BUYER, actor=FINANCE).currency == "KWD"


@pytest.mark.parametrize("zone, day, number_year", [
    ("Europe/Berlin", "2027-01-01", 2027),  # 00:30 on New Year's Day in Berlin
    ("America/New_York", "2026-12-31", 2026),  # still the evening before in New York
])
def test_business_dates_are_the_sellers(app, monkeypatch, zone, day, number_year):
    monkeypatch.setitem(app.config, "SELLER_TIMEZONE", zone)
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)
    monkeypatch.setattr("app.core.clock.utcnow", lambda: moment)
    invoice = _issued()
    assert invoice.issue_date.isoformat() == day and invoice.tax_date.isoformat() == day
    assert invoice.number == f"INV-{number_year}-000001"


def test_a_credit_note_email_names_the_invoice_and_asks_for_nothing(app, smtp):
    invoice = _issued()
    note = act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=1200, reason="Late")
    act(service.send, note.id, actor=FINANCE)
    [mail] = smtp.wait_for(1)
    body = mail.get_body(("plain",)).get_content()
    issued = invoice.issue_date
    assert f"correcting invoice {invoice.number} of {issued.day} {issued:%B} {issued.year}" \
        in body  # the date as the PDF attached writes it
    assert "No payment is due" in body and "IBAN" not in body
    assert "12.00 GBP credited" in body


def test_a_partly_credited_invoice_email_asks_for_what_is_due(app, smtp):
    invoice = _issued()
    act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=5150)
    act(service.send, invoice.id, actor=FINANCE)
    [mail] = smtp.wait_for(1)
    body = mail.get_body(("plain",)).get_content()
    assert "100.00 GBP due by" in body and "151.50 GBP" in body


def test_orders_are_refused_where_no_rate_is_configured(app, factories):
    from app.orders import service as orders
    from app.orders.models import Order
    from app.catalog.models import Product
    from tests.orders_support import ADDRESS, product

    user = factories.user()
    p = product(stock=5)
    with pytest.raises(InvalidInput) as refused:
        act(orders.place, user.id, [{"product_id": p.id, "quantity": 1}], {**ADDRESS, "country": "BR"},
                     actor=Actor(kind="user", id=user.id))
    assert refused.value.errors == {"shipping_address": {"country": [
        "No tax rate configured for BR."]}}
    db.session.rollback()
    assert _count(Order) == 0 and db.session.get(Product, p.id).stock_on_hand == 5


def test_amounts_above_two_to_the_31_round_trip(app, factories):
    """Amount columns are 64-bit (a 500 on PostgreSQL when they were 32-bit)."""
    from app.orders import service as orders
    from tests.orders_support import ADDRESS, product

    user = factories.user()
    p = product(stock=5, price=3_000_000_000, currency="JPY")  # 3 billion yen
    order = act(orders.place, user.id, [{"product_id": p.id, "quantity": 3}], ADDRESS,
                         actor=Actor(kind="user", id=user.id))
    act(orders.mark_paid, order.id, actor=FINANCE)
    invoice = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).one()
    db.session.expire_all()
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.total_amount == 10_800_000_000 > 2**31  # + 20 % VAT
    assert invoice.lines[0].unit_amount == 3_000_000_000
    db.session.execute(update(Invoice).where(Invoice.id == invoice.id).values(pdf_status="ready"))
    db.session.commit()


def _pdf_text(invoice) -> str:
    import io

    from pypdf import PdfReader

    from app.invoices import documents

    data = documents.pdf_bytes(_fresh(invoice.id))
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_of_a_paid_order_says_paid_and_asks_for_nothing(app, factories):
    from app.orders import service as orders
    from tests.orders_support import ADDRESS, product

    user = factories.user()
    p = product(stock=5, price=1000, currency="GBP")
    order = act(orders.place, user.id, [{"product_id": p.id, "quantity": 2}], ADDRESS,
                         actor=Actor(kind="user", id=user.id))
    act(orders.mark_paid, order.id, actor=FINANCE, payment_reference="TRF-4711")
    invoice = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).one()
    text_ = _pdf_text(invoice)
    assert "PAID" in text_ and "24.00 GBP" in text_ and "TRF-4711" in text_
    assert f"Order #{order.number}" in text_
    assert "Please transfer" not in text_ and "AMOUNT DUE" not in text_


def test_the_pdf_of_a_credit_note_names_the_invoice_it_corrects(app):
    invoice = _issued()
    note = act(service.issue_credit_note, invoice.id, actor=FINANCE, amount=1200)
    text_ = _pdf_text(note)
    issued = invoice.issue_date
    assert f"{invoice.number} of {issued.day} {issued:%B} {issued.year}" in text_
    assert issued.isoformat() not in text_  # every date on the page is written one way
    assert "No payment is due" in text_ and "Please transfer" not in text_
