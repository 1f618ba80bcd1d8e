"""`flask demo load` fills the back office: orders over 90 days, payments (some failed),
refunds, invoices (some overdue), a credit note; a second run adds nothing."""
from datetime import timedelta

from sqlalchemy import func, select

from app.core.clock import business_date
from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import Payment, Refund
from app.reporting import figures


def _count(stmt):
    return db.session.scalar(stmt)


def test_demo_sales_fill_every_page_and_load_once(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    orders = _count(select(func.count()).select_from(Order))
    assert orders == 320
    oldest = db.session.scalar(select(func.min(Order.created_at)))
    assert business_date() - oldest.date() <= timedelta(days=91)
    assert business_date() - oldest.date() >= timedelta(days=60)
    assert _count(select(func.count()).select_from(Payment).where(Payment.status == "failed")) > 10
    assert _count(select(func.count()).select_from(Payment).where(Payment.status == "succeeded")) > 200
    assert _count(select(func.count()).select_from(Refund)) > 0
    assert _count(select(func.count()).select_from(Invoice).where(Invoice.kind == "credit_note")) == 1
    receivables = figures.receivables()["EUR"]
    assert receivables["overdue_count"] >= 2 and receivables["open_count"] >= 4

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _count(select(func.count()).select_from(Order)) == orders
