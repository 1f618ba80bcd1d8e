"""A refund a stopped process left pending is finished by the periodic job
(jobs.periodic.resume_stalled_refunds), against localstripe: once, under the refund's
own idempotency key, whether the process stopped before asking the gateway or after the
gateway made the refund but before the answer was recorded."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.core.actor import Actor
from app.core.types import utcnow
from app.extensions import db
from app.invoices.models import Invoice
from app.payments import gateways, refunds
from app.payments.models import Payment, Refund
from jobs.periodic import SCHEDULE, resume_stalled_refunds
from tests.invoice_support import act
from tests.payments_support import customer, paid_order
from tests.stripe_server import StripeProxy

pytestmark = pytest.mark.usefixtures("tax_rates")

STAFF = Actor(kind="staff", id=uuid.uuid4(), label="fin@test", role="finance")


def _opened(client, stripe_server, amount=2500):
    """A refund opened (transaction 1 committed: reserved, audited) by a process that
    then stopped; returns (payment id, refund id)."""
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    call = act(refunds.open, uuid.uuid4(), payment["id"], amount=amount, reason="Returned",
               actor=STAFF)
    return uuid.UUID(payment["id"]), call


def _age(refund_id, minutes: int) -> None:
    act(lambda: db.session.execute(update(Refund).where(Refund.id == refund_id).values(
        updated_at=utcnow() - timedelta(minutes=minutes),
        created_at=utcnow() - timedelta(minutes=minutes))))


def _state(payment_id, refund_id):
    db.session.expire_all()
    payment = db.session.get(Payment, payment_id)
    refund = db.session.get(Refund, refund_id)
    notes = db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == payment.invoice_id)).all()
    return payment, refund, notes


def test_it_runs_every_five_minutes(app):
    assert any(p.func == "jobs.periodic.resume_stalled_refunds" and p.every_seconds == 300
               for p in SCHEDULE)


def test_stopped_before_the_gateway_call_the_refund_is_made_once(client, stripe_server):
    payment_id, call = _opened(client, stripe_server)
    assert resume_stalled_refunds()["resumed"] == 0  # too recent: may still be in flight
    _age(call.id, 11)

    assert resume_stalled_refunds() == {"resumed": 1, "settled": 1, "still_pending": 0,
                                        "errors": 0}
    payment, refund, notes = _state(payment_id, call.id)
    assert refund.status == "succeeded" and refund.gateway_refund_id
    assert (payment.amount_refunded, payment.amount_refund_pending) == (2500, 0)
    assert [-n.total_amount for n in notes] == [2500] and refund.credit_note_id == notes[0].id
    assert [r["amount"] for r in stripe_server.refunds()] == [2500]
    assert resume_stalled_refunds()["resumed"] == 0  # nothing left to do


@pytest.fixture
def proxy(app, monkeypatch, stripe_server):
    """Stripe's Idempotency-Key behaviour in front of localstripe (which ignores it)."""
    server = StripeProxy(stripe_server.url).start()
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", server.url)
    try:
        yield server
    finally:
        server.stop()


def test_stopped_after_the_gateway_made_it_no_second_refund(client, stripe_server, proxy):
    payment_id, call = _opened(client, stripe_server)
    act(lambda: gateways.get(call.gateway).create_refund(call, call.gateway_payment_id))
    assert len(stripe_server.refunds()) == 1  # made at the gateway, never recorded here
    _age(call.id, 30)

    assert resume_stalled_refunds()["settled"] == 1
    payment, refund, notes = _state(payment_id, call.id)
    assert refund.status == "succeeded" and len(notes) == 1
    assert [r["amount"] for r in stripe_server.refunds()] == [2500]  # the same refund
    assert payment.amount_refund_pending == 0


def test_past_the_idempotency_window_it_is_left_to_reconciliation(client, stripe_server,
                                                                  caplog):
    payment_id, call = _opened(client, stripe_server)
    _age(call.id, 24 * 60)
    assert resume_stalled_refunds()["resumed"] == 0
    assert "pending for more than a day" in caplog.text
    _, refund, _ = _state(payment_id, call.id)
    assert refund.status == "pending" and stripe_server.refunds() == []


def test_a_gateway_still_down_keeps_it_pending_for_the_next_run(client, stripe_server, proxy):
    payment_id, call = _opened(client, stripe_server)
    _age(call.id, 11)
    proxy.fail_next(20)  # more than the SDK's own retries
    assert resume_stalled_refunds() == {"resumed": 1, "settled": 0, "still_pending": 0,
                                        "errors": 1}
    payment, refund, notes = _state(payment_id, call.id)
    assert refund.status == "pending" and refund.failure_code  # why, for the back office
    assert payment.amount_refund_pending == 2500 and notes == []

    proxy.fail_next(0)
    assert resume_stalled_refunds()["resumed"] == 0  # just tried: waits its turn
    _age(call.id, 11)
    assert resume_stalled_refunds()["settled"] == 1
    payment, refund, notes = _state(payment_id, call.id)
    assert refund.status == "succeeded" and payment.amount_refunded == 2500 and len(notes) == 1
    assert [r["amount"] for r in stripe_server.refunds()] == [2500]
