"""The dashboard per role: money for finance and admins only, counts for everyone, chart
data as JSON, the rollup of closed days equal to the live figures, and the live activity
(Socket.IO, staff only) worded for people and escaped."""
import json
import re
from datetime import timedelta

from app.core.clock import business_date
from app.extensions import db
from app.live import NAMESPACE, announce, socketio_for
from app.reporting import figures, rollup
from app.reporting.models import DailySales
from tests import reporting_support as rs

EVIL = '<img src=x onerror=alert(1)>"\'&'


def _stat(html: str, key: str) -> str:
    match = re.search(rf'id="stat-{key}".*?bo-stat-value"[^>]*>([^<]+)<', html, re.S)
    assert match, key
    return match.group(1).strip()


def _chart_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                      html, re.S)
    assert match
    return json.loads(match.group(1))


def _sales(app, factories):
    today = business_date()
    alice = factories.user(full_name="Alice Martin")
    with app.app_context():
        rs.sale(alice, net=10000, tax=1900, when=rs.at(today, 0) + timedelta(hours=12))
        rs.sale(alice, net=5000, tax=0, rate="0", when=rs.at(today - timedelta(days=5)),
                refund=1000)
        rs.sale(alice, net=7000, tax=700, currency="JPY", rate="0.10",
                when=rs.at(today - timedelta(days=40)))
        rs.sale(alice, net=2000, paid=False, payment="failed",
                when=rs.at(today - timedelta(days=5)))
        rs.open_invoice(alice, total=11900, due=today - timedelta(days=3))
        rs.open_invoice(alice, total=500, due=today + timedelta(days=10))
    return today


def test_finance_sees_money_per_currency_and_charts(app, login_as, factories):
    today = _sales(app, factories)
    bo, _ = login_as("finance")
    html = bo.get("/admin/").get_data(as_text=True)
    assert 'id="figures-today"' in html and 'id="receivables"' in html
    today_table = html.split('id="period-today"')[1].split("</table>")[0]
    assert "100.00" in today_table and "19.00" in today_table  # net, tax of today's sale
    receivables = html.split('id="receivables"')[1].split("</table>")[0]
    assert "124.00" in receivables and "119.00" in receivables  # outstanding, overdue
    data = _chart_data(html)
    assert data["days"] == 30 and len(data["labels"]) == 30
    assert data["labels"][-1] == today.isoformat()
    assert data["revenue"]["EUR"][-1] == "119.00"
    assert data["revenue"]["EUR"][-6] == "50.00"
    assert "JPY" not in data["revenue"]  # 40 days ago: outside 30 days
    assert sum(data["orders"]) == 3
    assert {r["label"] for r in data["by_rate"]} == {"EUR 19.00 %", "EUR 0.00 %"}
    ninety = _chart_data(bo.get("/admin/?days=90").get_data(as_text=True))
    assert ninety["revenue"]["JPY"][-41] == "7700"
    assert 'id="chart-revenue"' in html and "vendor/chart.umd.min.js" in html


def test_support_sees_counts_without_money(app, login_as, factories):
    _sales(app, factories)
    bo, _ = login_as("support")
    html = bo.get("/admin/").get_data(as_text=True)
    assert _stat(html, "users") == "1"
    assert _stat(html, "orders_today") == "1"
    assert 'id="figures-today"' not in html and 'id="receivables"' not in html
    assert 'id="chart-revenue"' not in html and 'id="chart-orders"' in html
    data = _chart_data(html)
    assert "revenue" not in data and "by_rate" not in data
    assert "119.00" not in html
    # Support decides fraud reviews: the open ones are counted for them too.
    assert _stat(html, "fraud_reviews") == "0"


def test_closed_days_rollup_equals_live_figures(app, factories):
    today = _sales(app, factories)
    with app.app_context():
        first, last = today - timedelta(days=60), today
        live = rollup.aggregate(first, last)
        assert rollup.close_days(first, last) == 60 - rollup.SETTLE_DAYS + 1
        db.session.commit()
        assert rollup.close_days(first, last) == 0  # stored once
        assert rollup.daily(first, last) == live
        stored = db.session.scalars(db.select(DailySales)
                                    .where(DailySales.currency == "EUR")).all()
        assert [(r.day, r.net_amount, r.refunded_amount, r.payments_failed) for r in stored] \
            == [(today - timedelta(days=5), 5000, 1000, 1)]
        month = figures.period(today - timedelta(days=6), today)["EUR"]
        assert month["gross_amount"] == 16900 and month["orders_paid"] == 2
        assert month["average_order_amount"] == 8450
        assert str(month["payment_failure_rate"]) == str(__import__("decimal").Decimal(1) / 3)


def test_malicious_name_is_escaped_in_page_and_live_message(app, login_as, factories):
    evil = factories.user(full_name=EVIL)
    with app.app_context():
        order = rs.sale(evil, net=10280, when=rs.at(business_date()))
        message = announce("order.placed", {"order_id": str(order.id)})
    assert message["text"] == f"Order #{order.number} by {EVIL}, 102.80 EUR"
    bo, _ = login_as("admin")
    html = bo.get(f"/admin/customers/details/?id={evil.id}").get_data(as_text=True)
    assert EVIL not in html and "&lt;img src=x" in html


def test_live_activity_is_staff_only_and_human_readable(app, browser, login_as, factories):
    with app.app_context():
        anonymous = socketio_for(app).test_client(app, namespace=NAMESPACE,
                                                  flask_test_client=browser().client)
    assert not anonymous.is_connected(NAMESPACE)

    bo, _ = login_as("support")
    with app.app_context():
        staff_socket = socketio_for(app).test_client(app, namespace=NAMESPACE,
                                                     flask_test_client=bo.client)
    assert staff_socket.is_connected(NAMESPACE)
    staff_socket.get_received(NAMESPACE)

    factories.user()  # a registration: not shown live
    assert [r for r in staff_socket.get_received(NAMESPACE) if r["name"] == "activity"] == []
    customer = factories.user(full_name="Alice Martin")
    with app.app_context():
        order = rs.sale(customer, net=10280, when=rs.at(business_date()), commit=False)
        from app.core.uow import unit_of_work
        from app.events.service import publish

        with unit_of_work():
            publish("order.placed", {"order_id": str(order.id),
                                     "customer_id": str(customer.id)})
    received = [r["args"][0] for r in staff_socket.get_received(NAMESPACE)
                if r["name"] == "activity"]
    assert received == [{"kind": "order", "level": "info",
                         "counters": ["orders_today", "orders_awaiting_payment"],
                         "text": f"Order #{order.number} by Alice Martin, 102.80 EUR",
                         "url": f"/admin/orders/details/?id={order.id}"}]
    staff_socket.disconnect(NAMESPACE)


def test_payments_and_refunds_are_announced_for_people(app, factories):
    bob = factories.user(full_name="Bob Okafor")
    with app.app_context():
        from app.payments.models import Payment, Refund

        order = rs.sale(bob, net=10280, when=rs.at(business_date()), refund=1000)
        paid = db.session.scalars(db.select(Payment).where(Payment.order_id == order.id)).one()
        refund = db.session.scalars(db.select(Refund).where(Refund.payment_id == paid.id)).one()
        ok = announce("payment.succeeded", {"payment_id": str(paid.id)})
        ko = announce("payment.failed", {"payment_id": str(paid.id)})
        back = announce("refund.succeeded", {"refund_id": str(refund.id)})
        assert announce("payment.succeeded", {"payment_id": "not-a-uuid"}) is None
    assert ok["text"] == f"Payment received: 102.80 EUR for order #{order.number} by Bob Okafor"
    assert ok["counters"] == ["payments_succeeded"] and ok["level"] == "success"
    assert ko["text"].startswith("Payment failed: 102.80 EUR") and ko["level"] == "danger"
    assert back["text"] == f"Refund of 10.00 EUR for order #{order.number} by Bob Okafor"
    assert back["url"] == f"/admin/payments/details/?id={paid.id}"


def test_a_payment_of_an_invoice_without_an_order_is_announced_by_its_invoice(app, factories):
    import uuid

    bob = factories.user(full_name="Bob Okafor")
    with app.app_context():
        from app.payments.models import Payment

        from app.core.actor import Actor
        from app.core.uow import unit_of_work
        from app.invoices import service as invoices

        order = rs.sale(bob, net=10280, when=rs.at(business_date()), payment=None)
        with unit_of_work():
            invoice = invoices.create_from_order(order.id, actor=Actor.system("tests"))
        alone = Payment(id=uuid.uuid4(), order_id=None, invoice_id=invoice.id,
                        customer_id=bob.id, method="card", gateway="stripe",
                        status="succeeded", amount=5000, currency="EUR", amount_refunded=0,
                        amount_refund_pending=0, created_by="tests")
        db.session.add(alone)
        db.session.commit()
        said = announce("payment.succeeded", {"payment_id": str(alone.id)})
    assert said["text"] == f"Payment received: 50.00 EUR for invoice {invoice.number} by Bob Okafor"
