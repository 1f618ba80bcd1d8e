"""Customer 360: refund one of the customer's payments from their page (finance, admin),
through the same maker-checker service as the payment page: up to the approval threshold
at once, above it a request that another staff member approves; support and a payment of
somebody else are refused. The other account actions are there too."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.payments.models import Payment, Refund, RefundRequest
from tests.payments_support import customer, paid_order

pytestmark = pytest.mark.usefixtures("tax_rates")

CUSTOMERS = "/admin/customers/"
QUEUE = "/admin/refund-requests/"


@pytest.fixture
def paid(client, stripe_server, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFUND_APPROVAL_THRESHOLD", {"GBP": 5000})
    _, headers = customer(client)
    _order, payment = paid_order(client, headers, stripe_server)  # 90.00 GBP
    row = db.session.get(Payment, uuid.UUID(payment["id"]))
    return row.customer_id, payment["id"]


def _page(customer_id) -> str:
    return f"{CUSTOMERS}details/?id={customer_id}"


def _refund(bo, customer_id, payment_id, amount, reason="Damaged"):
    return bo.post(f"{CUSTOMERS}refund/", {"id": str(customer_id), "payment_id": payment_id,
                                           "amount": amount, "reason": reason},
                   token_from=_page(customer_id))


def _after(bo, resp) -> str:
    assert resp.status_code == 302, resp.status_code
    assert resp.location.startswith(_page(resp.location.split("id=")[1].split("#")[0]))
    return bo.get(resp.location).get_data(as_text=True)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_finance_refunds_at_once_below_the_threshold(login_as, paid):
    customer_id, payment_id = paid
    bo, _ = login_as("finance")
    page = bo.get(_page(customer_id)).get_data(as_text=True)
    assert f'id="refund-{payment_id}"' in page and 'value="90.00"' in page
    assert "above 50.00" in page  # the threshold is said before it applies
    page = _after(bo, _refund(bo, customer_id, payment_id, "10.00"))
    assert "Refund of 10.00" in page
    refund = db.session.scalars(select(Refund)).one()
    assert refund.amount == 1000 and refund.status == "succeeded"
    # The customer's page shows it, and offers what is left.
    refunds = page.split('id="customer-refunds"')[1].split("</table>")[0]
    assert "Damaged" in refunds and "10.00" in refunds
    assert 'value="80.00"' in page


def test_above_the_threshold_a_second_member_approves(login_as, paid):
    customer_id, payment_id = paid
    anna, _ = login_as("finance")
    page = _after(anna, _refund(anna, customer_id, payment_id, "60.00", "Returned in full"))
    assert "needs a second staff member" in page
    assert _count(Refund) == 0
    request = db.session.scalars(select(RefundRequest)).one()
    assert request.amount == 6000 and request.status == "requested"
    listed = page.split('id="customer-refund-requests"')[1].split("</table>")[0]
    assert "awaiting approval" in listed and "Returned in full" in listed

    # The requester cannot approve their own request; another finance member can.
    own = anna.post(f"{QUEUE}{request.id}/decide/", {"decision": "approve"}, token_from=QUEUE)
    assert own.status_code == 302 and _count(Refund) == 0
    bert, _ = login_as("finance")
    bert.post(f"{QUEUE}{request.id}/decide/", {"decision": "approve"}, token_from=QUEUE)
    db.session.expire_all()
    assert db.session.get(RefundRequest, request.id).status == "approved"
    assert db.session.scalars(select(Refund)).one().amount == 6000
    page = bert.get(_page(customer_id)).get_data(as_text=True)
    listed = page.split('id="customer-refund-requests"')[1].split("</table>")[0]
    assert "approved" in listed and "Test finance (finance)" in listed


def test_support_sees_no_refund_and_a_hand_made_post_is_refused(login_as, paid):
    customer_id, payment_id = paid
    support, _ = login_as("support")
    page = support.get(_page(customer_id)).get_data(as_text=True)
    assert f'id="refund-{payment_id}"' not in page
    # Support keeps the account actions.
    for act in ("deactivate", "password_reset"):
        assert f'id="action-{act}"' in page
    resp = _refund(support, customer_id, payment_id, "1.00")
    assert resp.status_code == 403 and _count(Refund) == 0 and _count(RefundRequest) == 0


def test_another_customers_payment_or_a_bad_amount_is_refused(login_as, paid, factories):
    customer_id, payment_id = paid
    someone_else = factories.user()
    bo, _ = login_as("admin")
    assert _refund(bo, someone_else.id, payment_id, "1.00").status_code == 404
    assert _refund(bo, customer_id, str(uuid.uuid4()), "1.00").status_code == 404
    for amount, message in (("abc", "Amount:"), ("0", "Amount: must be more than zero"),
                            ("500.00", "From 1 to 9000")):
        page = _after(bo, _refund(bo, customer_id, payment_id, amount))
        assert message in page, amount
    page = _after(bo, _refund(bo, customer_id, payment_id, "1.00", reason=""))
    assert "Reason: Required." in page
    assert _count(Refund) == 0 and _count(RefundRequest) == 0
