"""Demo sales: a few hundred orders over the last 90 days with card payments (some
failed), refunds, invoices (every paid order's, and some on account, overdue), credit
notes, fraud reviews and customer messages (app/demo_fraud.py), so every back-office
page and chart has something to show on first run.

Orders are written as rows, not through checkout: checkout stamps "now" and reserves
stock, and demo history must be spread over past days without emptying the shelves. They
are priced by the checkout's own pricing (the demo tax rates), so figures add up like real
ones. Invoices and credit notes go through the invoice services (numbers, audit, PDFs):
each paid order's invoice equals it, its payment names it, and each refund has the credit
note the refund path issues for it. They are dated today (the services issue on the day
they run, so numbers follow issue dates); their tax and payment dates are the order's.
Deterministic (a fixed seed) and idempotent: a second run finds the demo payments and
adds nothing."""
from __future__ import annotations

import random
import uuid
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app import demo_fraud
from app.catalog.models import Product
from app.core.actor import Actor

from app.core.types import utcnow
from app.extensions import db
from app.invoices import service as invoices
from app.invoices.models import Invoice
from app.orders import service as orders_service
from app.orders.models import Order, OrderHistory
from app.payments import refund_lines, refunds
from app.payments.models import Payment, Refund
from app.users import service as user_service
from app.users.models import User

ORDERS = 320
DAYS = 90
SEED = 1042
REFERENCE_PREFIX = "pi_demo_"
MORE_CUSTOMERS = [
    ("dana@example.com", "Dana Schmidt", "DE"), ("emile@example.com", "Émile Laurent", "FR"),
    ("fenna@example.com", "Fenna de Vries", "NL"), ("george@example.com", "George Hall", "GB"),
    ("hana@example.com", "Hana Novak", "DE"), ("ivan@example.com", "Ivan Petrov", "DE"),
    ("julia@example.com", "Julia Rossi", "FR"), ("kofi@example.com", "Kofi Mensah", "GB"),
]
CITIES = {"DE": ("Berlin", "10115"), "FR": ("Lyon", "69001"), "NL": ("Utrecht", "3511"),
          "GB": ("London", "N1 9GU")}


def loaded() -> bool:
    return db.session.scalars(select(Payment.id).where(
        Payment.gateway_payment_id.like(f"{REFERENCE_PREFIX}%")).limit(1)).first() is not None


def load(customer_emails: list[str], admin_email: str | None = None) -> int:
    """Add the demo sales unless they are there; returns the number of orders added."""
    if loaded():
        return 0
    actor = Actor.system("demo-loader")
    rng = random.Random(SEED)
    customers = _customers(customer_emails, actor)
    products = list(db.session.scalars(
        select(Product).where(Product.active.is_(True), Product.currency == "EUR",
                              Product.tax_category.in_(("standard", "reduced")))
        .order_by(Product.sku)))
    if not customers or not products:
        return 0
    now = utcnow()
    placed = []
    for n in range(ORDERS):
        # More orders lately: a shop that grows.
        age = timedelta(days=DAYS * (1 - rng.random() ** 0.7), minutes=rng.randrange(1440))
        when = max(now - age, now - timedelta(days=DAYS))
        user, country = rng.choice(customers)
        placed.append(_order(n, user, country, rng.sample(products, rng.randint(1, 3)),
                             when, now, rng, actor))
    watched = demo_fraud.customer(actor)
    held = [_order(ORDERS + i, watched, "DE", rng.sample(products, 2),
                   now - timedelta(hours=2 + 5 * i), now, rng, actor)
            for i in range(demo_fraud.HELD)]
    db.session.flush()
    _invoices([o for o in [*placed, *held] if o.paid_at], customers, actor)
    if admin_email:
        demo_fraud.load(held, placed, admin_email)
    return len(placed) + len(held)


def _customers(emails: list[str], actor: Actor) -> list[tuple[User, str]]:
    for email, name, _country in MORE_CUSTOMERS:
        if user_service.find_by_email(email) is None:
            user_service.register(email, uuid.uuid4().hex, name, actor=actor)
    countries = {email: country for email, _n, country in MORE_CUSTOMERS}
    wanted = [*emails, *countries]
    users = db.session.scalars(select(User).where(User.email.in_(wanted))).all()
    return [(u, countries.get(u.email, "DE")) for u in sorted(users, key=lambda u: u.email)]


def _order(n, user, country, products, when, now, rng, actor) -> Order:
    city, postcode = CITIES[country]
    address = {"name": user.full_name or user.email, "line1": f"{rng.randint(1, 99)} Demo Street",
               "city": city, "postal_code": postcode, "country": country}
    order = Order(id=uuid.uuid4(), customer_id=user.id, status="pending_payment", currency="EUR",
                  country=country, shipping_address=address, billing_address=address,
                  created_at=when, updated_at=when)
    orders_service._price(order, [(p, rng.choice((1, 1, 1, 2, 3))) for p in products])
    order.tax_date = when.date()
    order.history.append(OrderHistory(from_status=None, to_status="pending_payment",
                                      actor=actor.ref, at=when))
    db.session.add(order)
    roll = rng.random()
    recent = now - when < timedelta(days=2)
    if roll < 0.12:  # a declined card first; some customers retry and pay
        _payment(order, n, "failed", when, suffix="f")
        if rng.random() < 0.5:
            return order
    if roll > 0.93 or (recent and roll > 0.80):
        if not recent:
            order.status, order.cancelled_at = "cancelled", when + timedelta(hours=20)
            order.restocked = True
            order.history.append(OrderHistory(from_status="pending_payment",
                                              to_status="cancelled", actor=actor.ref,
                                              at=order.cancelled_at))
        return order
    paid_at = when + timedelta(minutes=rng.randint(1, 30))
    payment = _payment(order, n, "succeeded", paid_at)
    order.status, order.paid_at = "paid", paid_at
    order.payment_reference = payment.gateway_payment_id
    order.history.append(OrderHistory(from_status="pending_payment", to_status="paid",
                                      actor=actor.ref, at=paid_at))
    if now - when > timedelta(days=3) and rng.random() < 0.8:
        order.status, order.fulfilled_at = "fulfilled", paid_at + timedelta(days=1)
        order.history.append(OrderHistory(from_status="paid", to_status="fulfilled",
                                          actor=actor.ref, at=order.fulfilled_at))
    if rng.random() < 0.04:  # a returned item: its value back (priced once invoiced)
        amount = order.total_amount // 3
        payment.amount_refunded = amount
        db.session.add(Refund(payment_id=payment.id, amount=amount, currency=order.currency,
                              status="succeeded", reason="Returned item",
                              gateway_refund_id=f"re_demo_{n}", created_by=actor.ref,
                              created_at=paid_at + timedelta(days=4)))
    return order


def _payment(order, n, status, when, suffix="") -> Payment:
    payment = Payment(id=uuid.uuid4(), order_id=order.id, customer_id=order.customer_id,
                      method="card", gateway="stripe", status=status, amount=order.total_amount,
                      currency=order.currency,
                      gateway_payment_id=f"{REFERENCE_PREFIX}{n}{suffix}",
                      created_by=f"user:{order.customer_id}", created_at=when, updated_at=when,
                      succeeded_at=when if status == "succeeded" else None,
                      failure_code="card_declined" if status == "failed" else None,
                      failure_message="Your card was declined." if status == "failed" else None)
    db.session.add(payment)
    return payment


@contextmanager
def _due_in(days: int):
    """Issue invoices with another payment term (overdue ones for the demo)."""
    before = current_app.config.get("INVOICE_DUE_DAYS", 14)
    current_app.config["INVOICE_DUE_DAYS"] = days
    try:
        yield
    finally:
        current_app.config["INVOICE_DUE_DAYS"] = before


def _invoices(paid: list[Order], customers, actor: Actor) -> None:
    # Every paid order's invoice, issued as paid, in the order they were paid (numbers
    # follow dates); its payment names it, as checkout's does (app.payments.service).
    took = {p.order_id: p for p in db.session.scalars(select(Payment).where(
        Payment.status == "succeeded", Payment.gateway_payment_id.like(f"{REFERENCE_PREFIX}%")))}
    for order in sorted(paid, key=lambda o: o.paid_at):
        took[order.id].invoice_id = invoices.create_from_order(order.id, actor=actor).id
    db.session.flush()
    # Returned items: one unit of the invoice's first line, refunded at what it has left
    # to credit (app.payments.refund_lines), and its credit note on that line, as the
    # refund path issues it when the gateway confirms a refund. An order of one unit
    # keeps its partial refund by amount: returning it would refund the whole order.
    for refund in db.session.scalars(select(Refund).join(Payment).where(
            Payment.gateway_payment_id.like(f"{REFERENCE_PREFIX}%"))
            .order_by(Refund.created_at)):
        lines = db.session.get(Invoice, refund.payment.invoice_id).lines
        if sum(line.quantity for line in lines) > 1:
            refund.amount, refund.lines = refund_lines.plan(
                refund.payment, [{"line_id": lines[0].id, "quantity": 1}])
            refund.payment.amount_refunded = refund.amount
        refunds.credit(refund.payment, refund)
    # Business customers on account: open invoices, some overdue, one partly credited.
    for i, (user, _country) in enumerate(customers[:6]):
        with _due_in(-10 * (i + 1) if i % 2 == 0 else 14):
            draft = invoices.create_draft(
                currency="EUR", customer_id=user.id, actor=actor,
                buyer={"name": f"{user.full_name} GmbH", "email": user.email,
                       "address": {"name": f"{user.full_name} GmbH", "line1": "1 Demo Street", "city": "Berlin",
                                   "postal_code": "10115", "country": "DE"}})
            invoices.add_line(draft.id, description="Consulting, on account", quantity=i + 1,
                              unit_amount=12500, tax_category="standard", actor=actor)
            invoices.finalise(draft.id, actor=actor)
            invoices.send(draft.id, actor=actor)
        if i == 1:
            invoices.issue_credit_note(draft.id, actor=actor, reason="Agreed discount",
                                       amount=draft.total_amount // 2)
