"""`flask demo load` fills the back office: orders over 90 days, payments (some failed),
refunds with their credit notes, invoices (every paid order's, some on account overdue),
fraud reviews (one open, one decided) and customer messages; a second run adds nothing."""
from datetime import timedelta

from sqlalchemy import func, select

from app import demo_fraud, demo_sales
from app.core.clock import business_date
from app.events.models import OutboxEvent
from app.extensions import db
from app.fraud import reviews
from app.fraud.models import FraudReview
from app.invoices.models import Invoice
from app.orders.models import Order
from app.notifications.models import Notification
from app.payments.models import Payment, Refund
from app.reporting import figures


def _count(stmt):
    return db.session.scalar(stmt)


def test_demo_sales_fill_every_page_and_load_once(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    orders = _count(select(func.count()).select_from(Order))
    assert orders == demo_sales.ORDERS + demo_fraud.HELD
    oldest = db.session.scalar(select(func.min(Order.created_at)))
    assert business_date() - oldest.date() <= timedelta(days=91)
    assert business_date() - oldest.date() >= timedelta(days=60)
    assert _count(select(func.count()).select_from(Payment).where(Payment.status == "failed")) > 10
    assert _count(select(func.count()).select_from(Payment).where(Payment.status == "succeeded")) > 200
    assert _count(select(func.count()).select_from(Refund)) > 0
    # One credit note per returned item, and one on an invoice on account.
    assert _count(select(func.count()).select_from(Invoice).where(Invoice.kind == "credit_note")) \
        == _count(select(func.count()).select_from(Refund)) + 1
    receivables = figures.receivables()["EUR"]
    assert receivables["overdue_count"] >= 2 and receivables["open_count"] >= 4
    # The review queue has work, held by the screening's rule, and one was decided.
    held = reviews.open_reviews()
    assert held and all(r.rule_name == "Watched customers: hold for review" for r in held)
    assert _count(select(func.count()).select_from(FraudReview)
                  .where(FraudReview.status == "approved", FraudReview.decided_by.like("staff:%"))) == 1
    # The notifications log: order confirmations, the review outcome and invoices, sent
    # (the embedded default writes them to instance/outbox/).
    sent = dict(db.session.execute(select(Notification.template, func.count())
                                   .where(Notification.status == "sent")
                                   .group_by(Notification.template)).all())
    assert sent.get("order_confirmation", 0) >= 5
    assert sent.get("fraud_review_outcome") == 1 and sent.get("invoice_sent", 0) >= 4
    _money_agrees_like_checkouts()
    counted = [Invoice, Refund, Payment, Order, OutboxEvent, FraudReview, Notification]
    before = [_count(select(func.count()).select_from(m)) for m in counted]

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert [_count(select(func.count()).select_from(m)) for m in counted] == before


def _totals(row) -> tuple:
    return (row.currency, row.subtotal_amount, row.tax_amount, row.total_amount, len(row.lines))


def _lines(row, price) -> list[tuple]:
    return [(l.sku, l.quantity, price(l), l.tax_rate, l.net_amount, l.tax_amount, l.gross_amount)
            for l in sorted(row.lines, key=lambda l: l.position)]


def _money_agrees_like_checkouts():
    """Every paid demo order has one invoice issued as paid and equal to it, its payment
    names it, and every refund has its credit note for exactly its amount. (Checked on
    the load above: a demo load is the slowest step of this file.)"""
    orders = db.session.scalars(select(Order)).all()
    paid = [o for o in orders if o.paid_at is not None]
    assert len(paid) > 250
    by_order: dict = {}
    for invoice in db.session.scalars(select(Invoice).where(Invoice.order_id.is_not(None))):
        by_order.setdefault(invoice.order_id, []).append(invoice)
    assert set(by_order) == {o.id for o in paid}  # and none for unpaid orders
    for order in paid:
        [invoice] = by_order[order.id]
        assert invoice.kind == "invoice" and invoice.status == "paid", order.id
        assert _totals(invoice) == _totals(order), order.id
        assert _lines(invoice, lambda l: l.unit_amount) == \
            _lines(order, lambda l: l.unit_price_amount), order.id
        assert invoice.amount_paid == order.total_amount
        assert invoice.paid_at == order.paid_at and invoice.number
    succeeded = db.session.scalars(select(Payment).where(Payment.status.in_(("succeeded", "refunded")))).all()
    assert {p.order_id for p in succeeded} == {o.id for o in paid}
    for payment in succeeded:
        [invoice] = by_order[payment.order_id]
        assert payment.invoice_id == invoice.id, payment.gateway_payment_id
        assert payment.amount == invoice.total_amount
    refunds = db.session.scalars(select(Refund)).all()
    assert refunds and all(r.status == "succeeded" for r in refunds)
    refunded: dict = {}
    for refund in refunds:
        note = db.session.get(Invoice, refund.credit_note_id) if refund.credit_note_id else None
        assert note is not None and note.kind == "credit_note", refund.gateway_refund_id
        assert note.total_amount == -refund.amount and note.currency == refund.currency
        assert note.credit_note_for_id == refund.payment.invoice_id
        assert note.subtotal_amount + note.tax_amount == note.total_amount
        refunded[refund.payment_id] = refunded.get(refund.payment_id, 0) + refund.amount
    for payment in succeeded:
        order = db.session.get(Order, payment.order_id)
        invoice = db.session.get(Invoice, payment.invoice_id)
        assert payment.amount_refunded == refunded.get(payment.id, 0)
        assert invoice.amount_credited == payment.amount_refunded
        whole = payment.amount_refunded == payment.amount
        assert (payment.status, order.status == "refunded") == \
            (("refunded", True) if whole else ("succeeded", False))
