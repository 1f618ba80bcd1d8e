"""A refund that pays out a credit note the customer holds, against localstripe.

Finance credits part of a card-paid order's invoice (the customer holds a credit), and
later the money goes back to the card. Before, that refund issued a second credit note:
the invoice was credited twice for one reduction. Now the refund names the held note and
issues none; the invoice, the payment, the customer's figures and the dashboard agree,
and the same note is never paid out twice."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.clock import business_date
from app.core.types import utcnow
from app.extensions import db
from app.invoices.models import Invoice
from app.payments import approvals, refunds
from app.payments.models import Refund, RefundRequest
from app.reporting import figures, rollup
from app.users import overview
from tests.factories import bearer
from tests.invoice_support import act
from tests.api.test_refund_approvals import ANNA
from tests.payments_support import customer, new_key, paid_order, refund

pytestmark = pytest.mark.usefixtures("tax_rates")


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read", "invoices:write",
                                          "invoices:read"])
    return bearer(secret)


def _held_note(client, partner, invoice_id, amount: int, reason="Scratched: goodwill") -> dict:
    resp = client.post(f"/api/v1/invoices/{invoice_id}/credit-notes", headers=partner,
                       json={"amount": amount, "reason": reason})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _notes(invoice_id) -> list[Invoice]:
    db.session.expire_all()
    return list(db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == uuid.UUID(invoice_id))))


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_refund_pays_out_a_held_credit_note_once_and_issues_none(
        client, stripe_server, partner):
    user, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)  # 90.00 GBP
    note = _held_note(client, partner, payment["invoice_id"], 2000)
    before = overview.lifetime_value(user.id)["GBP"]
    assert (before["refunded"], before["credited"], before["net"]) == (0, 2000, 7000)

    resp = refund(client, partner, payment["id"], key=new_key(), credit_note_id=note["id"],
                  reason="Goodwill paid to the card")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "succeeded" and body["amount"] == 2000  # the note's amount
    assert body["pays_out_credit_note_id"] == body["credit_note_id"] == note["id"]

    notes = _notes(payment["invoice_id"])
    assert [n.id for n in notes] == [uuid.UUID(note["id"])]  # no second credit note
    invoice = db.session.get(Invoice, uuid.UUID(payment["invoice_id"]))
    assert invoice.amount_credited == 2000  # credited once, not 4000
    after = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert after["amount_refunded"] == 2000 and after["amount_refundable"] == 7000
    assert [r["amount"] for r in stripe_server.refunds()] == [2000]
    # The customer no longer holds it: it was refunded; what they paid net is the same.
    now = overview.lifetime_value(user.id)["GBP"]
    assert (now["refunded"], now["credited"], now["net"]) == (2000, 0, 7000)
    today = figures.period(business_date(), business_date())["GBP"]
    assert (today["refunded_amount"], today["credited_amount"]) == (2000, 0)

    again = refund(client, partner, payment["id"], key=new_key(), credit_note_id=note["id"])
    assert again.status_code == 409, again.get_json()
    assert again.get_json()["errors"]["credit_note_id"] == [
        "A refund already pays out this credit note."]
    # The rest of the payment is refunded as usual, with its own credit note.
    rest = refund(client, partner, payment["id"], key=new_key(), reason="Returned")
    assert rest.status_code == 201 and rest.get_json()["amount"] == 7000
    assert rest.get_json()["pays_out_credit_note_id"] is None
    db.session.expire_all()
    assert invoice.amount_credited == invoice.total_amount == 9000
    assert len(_notes(payment["invoice_id"])) == 2


def test_a_closed_day_keeps_its_figures_when_a_held_credit_is_paid_out_later(
        client, stripe_server, partner, monkeypatch):
    """The held credit shows on the day it was issued; the pay-out, days later, is refunded
    money on its own day and takes the credit off there: the stored day never changes,
    and over both days the figures say 20.00 refunded, nothing held."""
    from app.invoices import service as invoice_service

    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    earlier = utcnow() - timedelta(days=5)
    # Issued five days ago (an issued invoice cannot be changed afterwards, by design).
    with monkeypatch.context() as patch:
        patch.setattr(invoice_service, "utcnow", lambda: earlier)
        note = _held_note(client, partner, payment["invoice_id"], 2000)
    today = business_date()
    day = business_date(earlier)
    stored = figures.period(day, day)["GBP"]  # a closed day: computed and stored now
    assert stored["credited_amount"] == 2000

    assert refund(client, partner, payment["id"], credit_note_id=note["id"]).status_code == 201
    live, _ = rollup.aggregate(day, day)
    assert live[(day, "GBP")]["credited_amount"] == 2000  # what was stored is still true
    both = figures.period(day, today)["GBP"]
    assert (both["refunded_amount"], both["credited_amount"]) == (2000, 0)
    assert figures.period(today, today)["GBP"]["credited_amount"] == -2000


@pytest.mark.parametrize("case, status, field", [
    ("unknown", 404, "credit_note_id"),
    ("not_a_note", 422, "credit_note_id"),
    ("other_invoice", 422, "credit_note_id"),
    ("issued_by_refund", 409, "credit_note_id"),
    ("wrong_amount", 422, "amount"),
    ("more_than_left", 409, "amount"),
])
def test_what_cannot_be_paid_out_is_refused_and_nothing_moves(
        client, stripe_server, partner, case, status, field):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    _, other = paid_order(client, headers, stripe_server)
    note = _held_note(client, partner, payment["invoice_id"], 2000)
    body = {"credit_note_id": note["id"]}
    if case == "unknown":
        body["credit_note_id"] = str(uuid.uuid4())
    elif case == "not_a_note":
        body["credit_note_id"] = payment["invoice_id"]
    elif case == "other_invoice":
        body["credit_note_id"] = _held_note(client, partner, other["invoice_id"], 1000)["id"]
    elif case == "issued_by_refund":
        done = refund(client, partner, payment["id"], amount=500, key=new_key()).get_json()
        body["credit_note_id"] = done["credit_note_id"]
    elif case == "wrong_amount":
        body["amount"] = 1999
    elif case == "more_than_left":
        assert refund(client, partner, payment["id"], amount=7500,
                      key=new_key()).status_code == 201
    refunds_before, stripe_before = _count(Refund), len(stripe_server.refunds())
    credited = db.session.get(Invoice, uuid.UUID(payment["invoice_id"])).amount_credited

    resp = refund(client, partner, payment["id"], key=new_key(), **body)
    assert resp.status_code == status, resp.get_json()
    assert field in resp.get_json()["errors"], resp.get_json()
    assert (_count(Refund), len(stripe_server.refunds())) == (refunds_before, stripe_before)
    db.session.expire_all()
    assert db.session.get(Invoice, uuid.UUID(payment["invoice_id"])).amount_credited == credited


def test_someone_elses_credit_note_is_not_found(client, stripe_server, partner):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    _, stranger = customer(client)
    _, theirs = paid_order(client, stranger, stripe_server)
    note = _held_note(client, partner, theirs["invoice_id"], 1000)
    resp = refund(client, partner, payment["id"], credit_note_id=note["id"])
    assert resp.status_code == 404 and resp.get_json()["errors"]["credit_note_id"]
    assert stripe_server.refunds() == []


def test_above_the_threshold_the_pay_out_waits_for_approval(
        client, stripe_server, partner, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFUND_APPROVAL_THRESHOLD", {"GBP": 1500})
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    note = _held_note(client, partner, payment["invoice_id"], 2000)
    resp = refund(client, partner, payment["id"], credit_note_id=note["id"], reason="Goodwill")
    assert resp.status_code == 202, resp.get_json()
    request = resp.get_json()
    assert request["amount"] == 2000 and request["pays_out_credit_note_id"] == note["id"]
    twice = refund(client, partner, payment["id"], key=new_key(), credit_note_id=note["id"],
                   reason="Goodwill")
    assert twice.status_code == 409, twice.get_json()
    assert _count(RefundRequest) == 1 and stripe_server.refunds() == []

    call = act(approvals.approve, request["id"], actor=ANNA)
    done = act(refunds.execute, call, resumable=False)
    assert done.status == "succeeded" and done.pays_out_credit_note_id == uuid.UUID(note["id"])
    assert done.credit_note_id == uuid.UUID(note["id"])
    assert len(_notes(payment["invoice_id"])) == 1
    assert db.session.get(Invoice, uuid.UUID(payment["invoice_id"])).amount_credited == 2000


def test_the_database_refuses_a_second_live_pay_out_of_one_note(client, stripe_server, partner):
    """The last word under the service's lock: one refund that has not failed per note; a
    failed one leaves the note free to be paid out again."""
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    note = uuid.UUID(_held_note(client, partner, payment["invoice_id"], 2000)["id"])

    def row(status):
        return Refund(payment_id=uuid.UUID(payment["id"]), amount=2000, currency="GBP",
                      status=status, created_by="test", pays_out_credit_note_id=note)

    act(lambda: db.session.add(row("failed")))
    act(lambda: db.session.add(row("pending")))
    with pytest.raises(IntegrityError):
        act(lambda: db.session.add(row("succeeded")) or db.session.flush())
    db.session.rollback()
    assert _count(Refund) == 2
