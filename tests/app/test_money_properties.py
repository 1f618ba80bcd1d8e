"""Property-based, on SQLite and PostgreSQL: money agrees with itself end to end.

Random carts (currencies of exponent 0, 2 and 3; prices with and without tax; every tax
category; countries with and without regions) are placed, paid and invoiced through the
services, and the invoice must be the order to the minor unit. Random sequences of
partial credit notes never credit more than the total, and the sums reconcile."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from app.core.actor import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.invoices import credits, service as invoices
from app.invoices.models import Invoice
from app.orders import service as orders
from app.tax import service as tax
from tests.invoice_support import FINANCE, act
from tests.orders_support import ADDRESS, product

SYSTEM = Actor.system("tests")
CURRENCIES = ["JPY", "EUR", "KWD"]  # exponents 0, 2, 3
# (country, region): a country-wide rate, a region's own rate, a region without one.
PLACES = [("DE", None), ("US", "NY"), ("US", "TX"), ("JP", None)]
RATES = [("DE", None, "standard", "0.19"), ("DE", None, "reduced", "0.07"),
         ("US", None, "standard", "0.05"), ("US", None, "reduced", "0.02"),
         ("US", "NY", "standard", "0.08875"), ("US", "NY", "reduced", "0.04"),
         ("JP", None, "standard", "0.10"), ("JP", None, "reduced", "0.08")]
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

lines_strategy = st.lists(st.tuples(st.integers(0, 2_000_000), st.integers(1, 50),
                                    st.sampled_from(tax.CATEGORIES)), min_size=1, max_size=6)


@pytest.fixture
def rated(app):
    for country, region, category, rate in RATES:
        act(tax.create_rate, country, category, rate, f"{country} {category}",
            date(2020, 1, 1), region=region, actor=FINANCE)
    inclusive = app.config["TAX_INCLUSIVE_CURRENCIES"]
    try:
        yield app
    finally:  # the app is shared by the session's tests
        app.config["TAX_INCLUSIVE_CURRENCIES"] = inclusive


def _place_and_pay(app, factories, cart, currency, inclusive, place):
    app.config["TAX_INCLUSIVE_CURRENCIES"] = frozenset({currency} if inclusive else ())
    customer = factories.user()
    products = [product(stock=100, price=price, currency=currency, tax_category=category)
                for price, _, category in cart]
    country, region = place
    address = {**ADDRESS, "country": country, "region": region}
    order = act(orders.place, customer.id, [{"product_id": p.id, "quantity": qty}
                                       for p, (_, qty, _) in zip(products, cart)],
                         address, actor=Actor(kind="user", id=customer.id))
    act(orders.mark_paid, order.id, actor=SYSTEM, payment_reference="BANK-REF-1")
    db.session.expire_all()
    invoice = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).one()
    return db.session.get(type(order), order.id), invoice


@SETTINGS
@given(cart=lines_strategy, currency=st.sampled_from(CURRENCIES), inclusive=st.booleans(),
       place=st.sampled_from(PLACES))
def test_the_invoice_of_a_paid_order_is_the_order(rated, factories, cart, currency, inclusive,
                                                  place):
    order, invoice = _place_and_pay(rated, factories, cart, currency, inclusive, place)
    assert order.total_amount == order.subtotal_amount + order.tax_amount
    assert order.total_amount == sum(line.gross_amount for line in order.lines)
    assert order.tax_amount == sum(line.tax_amount for line in order.lines)
    for line in order.lines:
        assert line.net_amount + line.tax_amount == line.gross_amount
        priced = line.gross_amount if inclusive else line.net_amount
        assert priced == line.quantity * line.unit_price_amount
    # The invoice is the order, to the minor unit, issued paid with nothing due.
    assert (invoice.subtotal_amount, invoice.tax_amount, invoice.total_amount) == \
        (order.subtotal_amount, order.tax_amount, order.total_amount)
    assert [(l.sku, l.quantity, l.unit_amount, Decimal(l.tax_rate), l.net_amount, l.tax_amount,
             l.gross_amount) for l in invoice.lines] == \
        [(l.sku, l.quantity, l.unit_price_amount, Decimal(l.tax_rate), l.net_amount,
          l.tax_amount, l.gross_amount) for l in order.lines]
    assert invoice.currency == order.currency and invoice.tax_date == order.tax_date
    assert invoice.status == "paid" and invoice.amount_paid == order.total_amount
    assert invoice.amount_due == 0 and invoice.payment_reference == "BANK-REF-1"
    assert sum(row["net_amount"] + row["tax_amount"] for row in order.tax_breakdown) == \
        order.total_amount


@SETTINGS
@given(cart=st.lists(st.tuples(st.integers(1, 500_000), st.integers(1, 9),
                               st.sampled_from(tax.CATEGORIES)), min_size=1, max_size=4),
       currency=st.sampled_from(CURRENCIES), inclusive=st.booleans(),
       steps=st.lists(st.one_of(
           st.tuples(st.just("amount"), st.integers(1, 3_000_000)),
           st.tuples(st.just("lines"), st.integers(0, 3), st.integers(1, 9)),
           st.tuples(st.just("rest"), st.just(0)),
           st.tuples(st.just("pay"), st.just(0))), min_size=1, max_size=7))
def test_credit_notes_never_credit_more_than_the_total(rated, factories, cart, currency,
                                                       inclusive, steps):
    rated.config["TAX_INCLUSIVE_CURRENCIES"] = frozenset({currency} if inclusive else ())
    invoice = act(invoices.create_draft, currency=currency, buyer={
        "name": "Ada", "email": "ada@example.com",
        "address": {**ADDRESS, "country": "DE"}}, tax_inclusive=inclusive, actor=FINANCE)
    for price, qty, category in cart:
        act(invoices.add_line, invoice.id, description="Item", quantity=qty, unit_amount=price,
                          tax_category=category, actor=FINANCE)
    act(invoices.finalise, invoice.id, actor=FINANCE)
    invoice_id = invoice.id
    for step in steps:
        before = _sums(invoice_id)
        try:
            if step[0] == "amount":
                act(invoices.issue_credit_note, invoice_id, amount=step[1], actor=FINANCE)
            elif step[0] == "lines":
                lines = _fresh(invoice_id).lines
                line = lines[step[1] % len(lines)]
                act(invoices.issue_credit_note, invoice_id, actor=FINANCE, lines=[
                    {"line_id": str(line.id), "quantity": step[2]}])
            elif step[0] == "rest":
                act(invoices.issue_credit_note, invoice_id, actor=FINANCE)
            else:
                act(invoices.mark_paid, invoice_id, actor=FINANCE)
        except DomainError:
            db.session.rollback()
            assert _sums(invoice_id) == before  # a refusal changes nothing
        _check(invoice_id)


def _fresh(invoice_id) -> Invoice:
    db.session.expire_all()
    return db.session.get(Invoice, invoice_id)


def _notes(invoice_id) -> list[Invoice]:
    return list(db.session.scalars(select(Invoice).where(Invoice.credit_note_for_id == invoice_id)))


def _sums(invoice_id) -> tuple:
    invoice = _fresh(invoice_id)
    return invoice.status, invoice.amount_paid, invoice.amount_credited, len(_notes(invoice_id))


def _check(invoice_id) -> None:
    invoice = _fresh(invoice_id)
    notes = _notes(invoice_id)
    credited = -sum(note.total_amount for note in notes)
    assert invoice.amount_credited == credited
    assert 0 <= credited <= invoice.total_amount
    for note in notes:
        assert note.total_amount == sum(l.gross_amount for l in note.lines)
        assert note.subtotal_amount + note.tax_amount == note.total_amount
        assert all(l.net_amount + l.tax_amount == l.gross_amount for l in note.lines)
    taken = credits.credited_by_line(invoice_id)
    for line in invoice.lines:
        done = taken.get(line.id, credits.Taken())
        assert 0 <= done.net <= line.net_amount and 0 <= done.tax <= line.tax_amount
        assert 0 <= done.quantity <= line.quantity
    if invoice.status in ("finalised", "sent"):
        assert invoice.amount_due == invoice.total_amount - invoice.amount_paid - credited > 0
    else:
        assert invoice.amount_due == 0
    if invoice.status == "paid":  # paid what was due when paid: due + credited + paid = total
        assert invoice.amount_paid <= invoice.total_amount
    if invoice.status == "credited":
        assert credited == invoice.total_amount and invoice.amount_paid == 0
