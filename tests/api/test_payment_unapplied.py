"""Money that paid for nothing goes back (app.payments.unapplied): a card payment that
completes 3-D Secure after its order was cancelled, or after the order was paid another
way, is refunded in full at Stripe (localstripe), once; the order and its invoice are
left as they were (a refunded duplicate does not mark a paid order refunded)."""
import threading
import uuid

import pytest
from sqlalchemy import func, select

from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.events.models import OutboxEvent
from app.extensions import db
from app.invoices.models import Invoice
from app.notifications.models import Notification
from app.orders import service as orders
from app.orders.models import Order
from app.payments import refunds, unapplied
from app.payments.models import Payment, Refund
from tests.conftest import make_client
from tests.factories import bearer
from tests.payments_support import awaiting_3ds, customer, deliver, new_key, paid_order, refund

pytestmark = pytest.mark.usefixtures("tax_rates")

STAFF = Actor.system("tests-finance")



def _complete_3ds(client, stripe_server, payment):
    intent = stripe_server.authenticate({"id": payment["gateway_payment_id"],
                                         "client_secret": payment["client_secret"]})
    assert intent["status"] == "succeeded"
    assert deliver(client, "payment_intent.succeeded", intent).status_code == 200
    return intent


def test_cancelling_an_order_cancels_its_paymentawaiting_3ds(client, stripe_server):
    headers, order, payment = awaiting_3ds(client, stripe_server)
    resp = client.post(f"/api/v1/orders/{order['id']}/cancel", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    db.session.expire_all()
    assert db.session.get(Payment, uuid.UUID(payment["id"])).status == "cancelled"
    intent = stripe_server.intent(payment["gateway_payment_id"])
    assert intent["status"] == "canceled"
    # The client secret the app handed out can no longer take money.
    assert "error" in stripe_server.authenticate(intent)
    assert stripe_server.refunds() == []


def test_a_payment_completed_as_the_customer_cancelled_goes_back(client, stripe_server,
                                                                 monkeypatch):
    """3-D Secure passed after the cancel committed and before its cancel reached Stripe
    (here: the cancel job not run yet)."""
    from app.payments import handlers

    monkeypatch.setattr(handlers, "cancel_open", lambda evt: None)
    headers, order, payment = awaiting_3ds(client, stripe_server)
    resp = client.post(f"/api/v1/orders/{order['id']}/cancel", headers=headers)
    assert resp.status_code == 200, resp.get_json()

    intent = _complete_3ds(client, stripe_server, payment)
    db.session.expire_all()
    taken = db.session.get(Payment, uuid.UUID(payment["id"]))
    assert (taken.status, taken.amount_refunded, taken.invoice_id) == \
        ("refunded", order["total_amount"], None)
    refund = db.session.scalars(select(Refund)).one()
    assert (refund.status, refund.amount, refund.credit_note_id) == \
        ("succeeded", order["total_amount"], None)  # nothing was invoiced: nothing to credit
    assert "cancelled" in refund.reason
    assert [(r["payment_intent"], r["amount"]) for r in stripe_server.refunds()] == \
        [(intent["id"], order["total_amount"])]
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "cancelled"
    assert db.session.scalar(select(func.count(Invoice.id))) == 0
    [told] = db.session.scalars(select(Notification).where(
        Notification.template == "refund_issued")).all()
    assert told.status == "sent" and order["currency"] in told.shown_text

    # The webhook again (Stripe retries): no second refund.
    deliver(client, "payment_intent.succeeded", intent)
    assert len(stripe_server.refunds()) == 1
    assert db.session.scalar(select(func.count(Refund.id))) == 1


def test_a_second_payment_for_a_paid_order_goes_back_and_the_order_stays_paid(
        client, stripe_server):
    """Finance recorded the order paid (a bank transfer) while the card waited for 3-D
    Secure; the card then completed too."""
    headers, order, payment = awaiting_3ds(client, stripe_server)
    with unit_of_work():
        orders.mark_paid(uuid.UUID(order["id"]), actor=STAFF, payment_reference="BANK-77")
    invoice = db.session.scalars(select(Invoice)).one()
    due_before = (invoice.status, invoice.total_amount, invoice.amount_paid)

    _complete_3ds(client, stripe_server, payment)
    db.session.expire_all()
    taken = db.session.get(Payment, uuid.UUID(payment["id"]))
    assert (taken.status, taken.amount_refunded) == ("refunded", order["total_amount"])
    assert "already paid" in db.session.scalars(select(Refund)).one().reason
    placed = db.session.get(Order, uuid.UUID(order["id"]))
    assert (placed.status, placed.payment_reference) == ("paid", "BANK-77")
    assert not placed.restocked
    invoice = db.session.scalars(select(Invoice)).one()  # no credit note beside it
    assert (invoice.status, invoice.total_amount, invoice.amount_paid) == due_before
    assert not [e for e in db.session.scalars(select(OutboxEvent)).all()
                if e.type == "order.refunded"]


def test_the_payment_the_order_took_is_not_refunded_unasked(client, stripe_server):
    headers, order, payment = awaiting_3ds(client, stripe_server)
    _complete_3ds(client, stripe_server, payment)
    db.session.expire_all()
    taken = db.session.get(Payment, uuid.UUID(payment["id"]))
    assert taken.status == "succeeded" and taken.invoice_id is not None
    assert unapplied.open_refund(taken.id) is None
    assert stripe_server.refunds() == []


def test_the_same_refund_opened_at_once_twice_is_one_refund(pg_app, stripe_server):
    """A duplicated job on PostgreSQL: the second open of the same refund id waits for the
    payment's lock, then takes up the first's refund instead of finding "nothing left"."""
    client = make_client(pg_app)
    _, headers = customer(client)
    order, payment = paid_order(client, headers, stripe_server)
    payment_id, refund_id = uuid.UUID(payment["id"]), uuid.uuid4()
    first_open, release = threading.Event(), threading.Event()
    calls, errors = {}, []

    def open_refund(name, first: bool):
        with pg_app.app_context():
            try:
                if not first:
                    first_open.wait(10)
                calls[name] = refunds.open(refund_id, payment_id, amount=None, reason="dup",
                                           actor=STAFF, approved=True)
                if first:
                    first_open.set()
                    release.wait(10)  # hold the lock until the other one waits for it
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 (asserted below)
                errors.append(exc)
                db.session.rollback()

    a = threading.Thread(target=open_refund, args=("a", True))
    b = threading.Thread(target=open_refund, args=("b", False))
    a.start()
    b.start()
    first_open.wait(10)
    b.join(0.5)  # b is blocked on the payment's row now
    release.set()
    a.join(10)
    b.join(10)
    assert errors == []
    assert calls["a"].id == calls["b"].id == refund_id
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Refund.id))) == 1
    assert db.session.get(Payment, payment_id).amount_refund_pending == order["total_amount"]


def test_a_payment_taken_outside_checkout_still_refunds_its_order(client, stripe_server,
                                                                  factories):
    """Rows made outside checkout's path (older ones) name no invoice: the
    order's own reference says it took the payment, so a full refund credits the
    order's invoice and marks the order refunded, as for any other."""
    _, partner = factories.api_key(scopes=["payments:write", "payments:read"])
    _, headers = customer(client)
    order, payment = paid_order(client, headers, stripe_server)
    with unit_of_work():
        row = db.session.get(Payment, uuid.UUID(payment["id"]))
        invoice_id, row.invoice_id = row.invoice_id, None
    assert unapplied.open_refund(row.id) is None  # taken: not refunded unasked
    resp = refund(client, bearer(partner), payment["id"], key=new_key())
    assert resp.status_code == 201, resp.get_json()
    db.session.expire_all()
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "refunded"
    note = db.session.get(Invoice, db.session.scalars(select(Refund)).one().credit_note_id)
    assert (note.credit_note_for_id, -note.total_amount) == (invoice_id, order["total_amount"])
