"""`flask demo load` fills the back office: orders over 90 days, payments (some failed),
refunds, invoices (some overdue), a credit note, fraud reviews (one open, one decided)
and customer messages; a second run adds nothing."""
from datetime import timedelta

from sqlalchemy import func, select

from app import demo_fraud, demo_sales
from app.core.clock import business_date
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
    assert _count(select(func.count()).select_from(Invoice).where(Invoice.kind == "credit_note")) == 1
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
    reviews_before = _count(select(func.count()).select_from(FraudReview))
    notifications_before = _count(select(func.count()).select_from(Notification))

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _count(select(func.count()).select_from(Order)) == orders
    assert _count(select(func.count()).select_from(FraudReview)) == reviews_before
    assert _count(select(func.count()).select_from(Notification)) == notifications_before
