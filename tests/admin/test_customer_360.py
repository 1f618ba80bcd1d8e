"""Customer 360: one page with the customer's orders, invoices, payments, refunds,
lifetime value (finance and admins), audit trail and account actions (support, admins);
names and times as people read them."""
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.clock import business_date
from app.events.models import OutboxEvent
from app.extensions import db
from app.users.models import User
from tests import reporting_support as rs

EVIL = '<img src=x onerror=alert(1)>'


def _customer(app, factories, name="Alice Martin"):
    alice = factories.user(full_name=name)
    with app.app_context():
        today = business_date()
        o1 = rs.sale(alice, net=10000, tax=1900, when=rs.at(today), refund=2500)
        o2 = rs.sale(alice, net=3000, when=rs.at(today - timedelta(days=3)), paid=False,
                     payment="failed")
        inv = rs.open_invoice(alice, total=11900, due=today - timedelta(days=1))
        return alice, o1.number, o2.number, inv.number


def test_finance_sees_everything_with_lifetime_value(app, login_as, factories):
    alice, n1, n2, inv = _customer(app, factories)
    bo, _ = login_as("finance")
    html = bo.get(f"/admin/customers/details/?id={alice.id}").get_data(as_text=True)
    orders = html.split('id="customer-orders"')[1].split("</table>")[0]
    assert f"#{n1}" in orders and f"#{n2}" in orders and "/admin/orders/details/?id=" in orders
    assert inv in html.split('id="customer-invoices"')[1].split("</table>")[0]
    payments = html.split('id="customer-payments"')[1].split("</table>")[0]
    assert "failed" in payments and "succeeded" in payments
    assert "25.00" in html.split('id="customer-refunds"')[1].split("</table>")[0]
    ltv = html.split('id="customer-ltv"')[1].split("</table>")[0]
    assert "119.00" in ltv and "94.00" in ltv  # paid, net of the refund
    assert 'id="customer-notifications"' in html and 'id="customer-fraud"' in html
    assert 'id="action-deactivate"' not in html  # finance reads, does not act


def test_support_acts_on_the_account_and_it_is_audited(app, login_as, factories):
    alice, *_ = _customer(app, factories)
    bo, staff = login_as("support")
    url = f"/admin/customers/details/?id={alice.id}"
    html = bo.get(url).get_data(as_text=True)
    assert 'id="customer-ltv"' not in html  # no revenue figure for support
    for act in ("resend_verification", "password_reset", "deactivate"):
        resp = bo.post("/admin/customers/account-action/", {"id": str(alice.id), "act": act},
                       token_from=url)
        assert resp.status_code == 302, act
    with app.app_context():
        assert db.session.get(User, alice.id).is_active is False
        actions = set(db.session.scalars(select(AuditEntry.action)
                                         .where(AuditEntry.target_id == str(alice.id))))
        assert {"user.verification_resent", "user.password_reset_sent",
                "user.deactivate"} <= actions
        types = set(db.session.scalars(select(OutboxEvent.type)))
        assert {"user.verification_requested", "user.password_reset_requested"} <= types
    html = bo.get(url).get_data(as_text=True)
    audit = html.split('id="customer-audit"')[1].split("</table>")[0]
    assert f"{staff.full_name or staff.email} (support)" in audit
    assert f"staff:{staff.id}" not in audit


def test_finance_cannot_act_on_accounts(app, login_as, factories):
    alice, *_ = _customer(app, factories)
    bo, _ = login_as("finance")
    resp = bo.post("/admin/customers/account-action/", {"id": str(alice.id), "act": "deactivate"},
                   token_from=f"/admin/customers/details/?id={alice.id}")
    assert resp.status_code == 403
    with app.app_context():
        assert db.session.get(User, alice.id).is_active is True


def test_malicious_name_is_escaped(app, login_as, factories):
    evil, *_ = _customer(app, factories, name=EVIL)
    bo, _ = login_as("admin")
    html = bo.get(f"/admin/customers/details/?id={evil.id}").get_data(as_text=True)
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    html = bo.get("/admin/orders/").get_data(as_text=True)
    assert EVIL not in html


def test_times_in_the_staff_members_zone_to_the_minute(app, login_as, factories):
    alice, *_ = _customer(app, factories)
    bo, staff = login_as("admin")
    url = "/admin/account/preferences"
    resp = bo.post(url, {"timezone": "Asia/Tokyo"})
    assert resp.status_code == 302
    html = bo.get(f"/admin/customers/details/?id={alice.id}").get_data(as_text=True)
    orders = html.split('id="customer-orders"')[1].split("</table>")[0]
    assert "21:00 Asia/Tokyo" in orders  # 12:00 UTC
    assert bo.post(url, {"timezone": "Mars/Olympus"}).status_code == 200
    with app.app_context():
        from app.staff.models import Staff

        assert db.session.get(Staff, staff.id).timezone == "Asia/Tokyo"
