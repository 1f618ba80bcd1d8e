"""Payments in the back office: list and detail for every role; refunds by finance and
admin (above the threshold through the approval queue, never approved by the requester);
bank transfers recorded, held and resolved; links between payments, orders and invoices."""
import re
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import BankTransfer, Payment, Refund, RefundRequest
from tests.payments_support import customer, paid_order, place_order
from tests.transfer_support import open_invoice

pytestmark = pytest.mark.usefixtures("tax_rates")

PAYMENTS = "/admin/payments/"
QUEUE = "/admin/refund-requests/"
TRANSFERS = "/admin/bank-transfers/"


@pytest.fixture
def paid(client, stripe_server, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFUND_APPROVAL_THRESHOLD", {"GBP": 5000})
    _, headers = customer(client)
    order, payment = paid_order(client, headers, stripe_server)  # 90.00 GBP
    return order, payment


def _details(payment_id) -> str:
    return f"{PAYMENTS}details/?id={payment_id}"


def _refund(bo, payment_id, amount, reason="Damaged"):
    return _after(bo, bo.post(f"{PAYMENTS}{payment_id}/refund/",
                              {"amount": amount, "reason": reason},
                              token_from=_details(payment_id)))


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _after(bo, resp) -> str:
    """The page a form's redirect leads to, with its flash messages."""
    assert resp.status_code == 302, re.findall(r'invalid-feedback d-block">([^<]*)', _text(resp))
    return _text(bo.get(resp.location))


def test_every_role_reads_payments_support_cannot_refund(login_as, paid):
    order, payment = paid
    for role in ("admin", "finance", "support"):
        bo, _ = login_as(role)
        listed = bo.get(PAYMENTS)
        assert listed.status_code == 200 and payment["id"][:8] in _text(listed)
        page = _text(bo.get(_details(payment["id"])))
        assert f"/admin/orders/details/?id={order['id']}" in page
        assert ('id="refund-form"' in page) == (role != "support")
    bo, _ = login_as("support")
    resp = bo.post(f"{PAYMENTS}{payment['id']}/refund/", {"amount": "1.00", "reason": "x"},
                   token_from=_details(payment["id"]))
    assert resp.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0


def test_payment_list_filters(login_as, paid, client):
    _, payment = paid
    bo, _ = login_as("finance")
    view = next(v for v in bo.client.application.extensions["admin"][0]._views  # noqa: SLF001
                if v.endpoint == "bo_payments")
    index = {(str(f.name), str(f.operation())): i for i, f in enumerate(view._filters)}  # noqa: SLF001
    status = index[("Status", "equals")]
    method = index[("Method", "equals")]
    at_least = index[("Amount", "at least")]
    assert payment["id"][:8] in _text(bo.get(f"{PAYMENTS}?flt0_{status}=succeeded"))
    assert payment["id"][:8] not in _text(bo.get(f"{PAYMENTS}?flt0_{method}=bank_transfer"))
    assert payment["id"][:8] in _text(bo.get(f"{PAYMENTS}?flt0_{at_least}=90.00"))
    assert payment["id"][:8] not in _text(bo.get(f"{PAYMENTS}?flt0_{at_least}=90.01"))
    email = index[("Customer email", "contains")]
    assert payment["id"][:8] in _text(bo.get(f"{PAYMENTS}?flt0_{email}=example.com"))
    assert payment["id"][:8] not in _text(bo.get(f"{PAYMENTS}?flt0_{email}=nobody@"))
    gateway = index[("Gateway", "equals")]
    assert payment["id"][:8] in _text(bo.get(f"{PAYMENTS}?flt0_{gateway}=stripe"))
    assert payment["id"][:8] not in _text(bo.get(f"{PAYMENTS}?flt0_{gateway}=bank"))


def test_a_small_refund_is_made_at_once_with_its_credit_note(login_as, paid):
    _, payment = paid
    bo, _ = login_as("finance")
    page = (_refund(bo, payment["id"], "10.00"))
    assert "Refund of 10.00" in page and "succeeded" in page
    refund = db.session.scalars(select(Refund)).one()
    assert refund.amount == 1000 and refund.credit_note_id is not None
    assert "bo-credit-note" in _text(bo.get(_details(payment["id"])))


@pytest.mark.parametrize("amount,message", [
    ("1,50", "Amount:"), ("-1", "Amount:"), ("0", "Amount:"), ("abc", "Amount:"),
    ("1.001", "Amount:"), ("90.01", "From 1 to 9000")])
def test_bad_refund_amounts_are_refused_with_a_message(login_as, paid, amount, message):
    _, payment = paid
    bo, _ = login_as("finance")
    page = (_refund(bo, payment["id"], amount))
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0
    assert db.session.scalar(select(func.count()).select_from(RefundRequest)) == 0


def test_returned_items_are_refunded_from_the_payment_page(login_as, paid):
    """Support's usual case: 1 of the 3 items came back. The form lists what can still be
    returned; the refund is that unit's value and its credit note credits that line."""
    _, payment = paid
    bo, _ = login_as("finance")
    invoice = db.session.get(Invoice, uuid.UUID(payment["invoice_id"]))
    line = invoice.lines[0]
    page = _text(bo.get(_details(payment["id"])))
    assert f'name="return-{line.id}"' in page and 'id="refund-returned"' in page
    shown = _after(bo, bo.post(f"{PAYMENTS}{payment['id']}/refund/",
                               {f"return-{line.id}": "1", "amount": "", "reason": "Returned"},
                               token_from=_details(payment["id"])))
    assert "Refund of 30.00 GBP: succeeded." in shown
    refund = db.session.scalars(select(Refund)).one()
    note = db.session.get(Invoice, refund.credit_note_id)
    assert refund.amount == 3000 and [(l.credits_line_id, l.quantity) for l in note.lines] == [
        (line.id, 1)]
    # Two left to return now; a quantity beyond them, or with an amount too, is refused.
    assert f'max="2" step="1" name="return-{line.id}"' in shown
    assert f"Returned: 1 × {line.description}" in shown
    order_page = _text(bo.get(f"/admin/orders/details/?id={payment['order_id']}"))
    assert f"Returned: 1 × {line.description}" in order_page
    for form, message in (({f"return-{line.id}": "3"}, "A whole number from 1 to 2"),
                          ({f"return-{line.id}": "x"}, "quantities are whole numbers"),
                          ({f"return-{line.id}": "1", "amount": "5.00"}, "leave it empty")):
        again = _after(bo, bo.post(f"{PAYMENTS}{payment['id']}/refund/",
                                   {"reason": "Returned", "amount": "", **form},
                                   token_from=_details(payment["id"])))
        assert message in again, form
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 1


def test_refund_above_threshold_waits_for_a_second_finance_member(login_as, paid):
    order, payment = paid
    anna, _ = login_as("finance")
    page = (_refund(anna, payment["id"], "60.00", "Returned in full"))
    assert "needs a second staff member" in page
    found = db.session.scalars(select(RefundRequest)).one()
    assert "bo-own-request" in _text(anna.get(QUEUE))
    own = anna.post(f"{QUEUE}{found.id}/decide/", {"decision": "approve"}, token_from=QUEUE)
    assert "another staff member must decide" in _after(anna, own)
    db.session.expire_all()
    assert db.session.get(RefundRequest, found.id).status == "requested"
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0

    support, _ = login_as("support")
    assert f'id="approve-{found.id}"' not in _text(support.get(QUEUE))
    assert support.post(f"{QUEUE}{found.id}/decide/", {"decision": "approve"},
                        token_from=QUEUE).status_code == 403

    bert, _ = login_as("finance")
    assert f'id="approve-{found.id}"' in _text(bert.get(QUEUE))
    done = bert.post(f"{QUEUE}{found.id}/decide/", {"decision": "approve"}, token_from=QUEUE)
    assert "Refund of 60.00" in _after(bert, done)
    db.session.expire_all()
    decided = db.session.get(RefundRequest, found.id)
    assert decided.status == "approved"
    refund = db.session.get(Refund, decided.refund_id)
    assert refund.status == "succeeded" and refund.amount == 6000
    assert db.session.get(Invoice, refund.credit_note_id).total_amount == -6000
    order_page = _text(bert.get(f"/admin/orders/details/?id={order['id']}"))
    assert f"/admin/payments/details/?id={payment['id']}" in order_page


def test_bank_transfer_entry_applies_or_holds(login_as, client):
    invoice = open_invoice()
    bo, _ = login_as("finance")
    form = {"amount": "120.00", "currency": "gbp", "reference": invoice.number,
            "value_date": "2026-12-02", "payer_name": "Ada", "note": ""}
    page = _after(bo, bo.post(f"{TRANSFERS}record/", form))
    assert "applied" in page
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).status == "paid"
    invoice_page = _text(bo.get(f"/admin/invoices/details/?id={invoice.id}"))
    assert "Bank transfer " + invoice.number in invoice_page

    for bad, message in (({"amount": "1,20"}, "Use a point for decimals"),
                         ({"amount": "-5"}, "Must not be negative"),
                         ({"amount": "0"}, "Must be more than zero"),
                         ({"amount": "1.001"}, "decimal place"),
                         ({"currency": "EURO"}, "three-letter ISO 4217"),
                         ({"currency": "XXY"}, "ISO 4217 currency code in use")):
        resp = bo.post(f"{TRANSFERS}record/", {**form, **bad})
        assert resp.status_code == 200 and message in _text(resp), bad
        assert "is-invalid" in _text(resp)
    assert db.session.scalar(select(func.count()).select_from(BankTransfer)) == 1


def test_held_transfers_are_applied_to_a_named_order_or_returned(login_as, client):
    _, headers = customer(client)
    order = place_order(client, headers)
    bo, _ = login_as("finance")
    amount = f"{order['total_amount'] / 100:.2f}"
    form = {"amount": amount, "currency": "GBP", "reference": "see email",
            "value_date": "2026-12-02", "payer_name": "Ada"}
    assert "Transfer held" in _after(bo, bo.post(f"{TRANSFERS}record/", form))
    held = db.session.scalars(select(BankTransfer)).one()
    assert held.hold_reason == "unknown_reference"
    queue = _text(bo.get(f"{TRANSFERS}held/"))
    assert f'id="held-{held.id}"' in queue

    resolve = f"{TRANSFERS}{held.id}/resolve/"
    wrong = bo.post(resolve, {"decision": "apply", "text": "INV-1999-000009"},
                    token_from=f"{TRANSFERS}held/")
    assert "No open invoice or order" in _after(bo, wrong)
    ok = bo.post(resolve, {"decision": "apply", "text": order["id"]},
                 token_from=f"{TRANSFERS}held/")
    assert "applied" in _after(bo, ok)
    db.session.expire_all()
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "paid"
    payment = db.session.scalars(select(Payment)).one()
    assert payment.method == "bank_transfer" and payment.status == "succeeded"

    support, _ = login_as("support")
    assert support.get(f"{TRANSFERS}held/").status_code == 200
    assert support.get(f"{TRANSFERS}record/").status_code == 403


def test_the_detail_shows_the_gateway_events_of_the_payment(login_as, paid, client,
                                                            stripe_server):
    from tests.payments_support import deliver

    _, payment = paid
    intent = {"id": payment["gateway_payment_id"], "object": "payment_intent",
              "amount": payment["amount"], "currency": "gbp", "status": "succeeded",
              "metadata": {"payment_id": payment["id"]}}
    assert deliver(client, "payment_intent.succeeded", intent,
                   event_id="evt_timeline_1").status_code == 200
    assert deliver(client, "payment_intent.succeeded", {**intent, "id": "pi_someone_else"},
                   event_id="evt_other").status_code == 200
    bo, _ = login_as("support")
    page = _text(bo.get(_details(payment["id"])))
    assert "evt_timeline_1" in page and "payment_intent.succeeded" in page
    assert "evt_other" not in page
    fingerprint = stripe_server.payment_method(stripe_server.card())["card"]["fingerprint"]
    assert "Card fingerprint" in page and fingerprint in page  # the same card number
