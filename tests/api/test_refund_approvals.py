"""Refund approval (maker-checker) against localstripe: above REFUND_APPROVAL_THRESHOLD a
partner's refund is a request (202) that a second staff member approves; nobody decides
their own request (the service refuses, and so does the database)."""
import uuid

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEntry
from app.core.actor import Actor
from app.core.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.invoices.models import Invoice
from app.payments import approvals, refunds
from app.payments.models import Refund, RefundRequest
from tests.factories import bearer
from tests.invoice_support import act
from tests.payments_support import customer, new_key, paid_order, refund

pytestmark = pytest.mark.usefixtures("tax_rates")

ANNA = Actor(kind="staff", id=uuid.uuid4(), label="anna@test", role="finance")
BERT = Actor(kind="staff", id=uuid.uuid4(), label="bert@test", role="finance")
SUPPORT = Actor(kind="staff", id=uuid.uuid4(), label="sam@test", role="support")


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    return bearer(secret)


@pytest.fixture
def threshold(app, monkeypatch):
    monkeypatch.setitem(app.config, "REFUND_APPROVAL_THRESHOLD", {"GBP": 5000})


def test_above_the_threshold_the_api_answers_202_and_a_second_staff_member_approves(
        client, stripe_server, partner, threshold):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)  # 90.00 GBP
    small = refund(client, partner, payment["id"], amount=1000, reason="part")
    assert small.status_code == 201, small.get_json()
    key = new_key()
    big = refund(client, partner, payment["id"], key=key, amount=4001, reason="Returned")
    assert big.status_code == 202, big.get_json()  # 1000 + 4001 > 5000: counted together
    body = big.get_json()
    assert body["object"] == "refund_request" and body["status"] == "requested"
    again = refund(client, partner, payment["id"], key=key, amount=4001, reason="Returned")
    assert again.status_code == 202 and again.get_json()["id"] == body["id"]
    assert len(stripe_server.refunds()) == 1  # nothing refunded yet

    call = act(approvals.approve, body["id"], actor=ANNA)
    done = act(refunds.execute, call, resumable=False)
    assert done.status == "succeeded" and done.amount == 4001 and done.credit_note_id
    assert db.session.get(Invoice, done.credit_note_id).total_amount == -4001
    polled = client.get(f"/api/v1/payments/refund-requests/{body['id']}", headers=partner)
    assert polled.get_json()["status"] == "approved"
    assert polled.get_json()["refund_id"] == str(done.id)
    actions = set(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_id == body["id"])))
    assert actions == {"refund_request.create", "refund_request.approved"}


def test_nobody_approves_their_own_refund_request(client, stripe_server, threshold):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)
    found = act(approvals.request, payment["id"], amount=6000, reason="Damaged", actor=ANNA)
    for decide in (approvals.approve, approvals.reject):
        with pytest.raises(PermissionDenied):
            act(decide, found.id, actor=ANNA)
    with pytest.raises(PermissionDenied):
        act(approvals.approve, found.id, actor=SUPPORT)
    db.session.expire_all()
    assert db.session.get(RefundRequest, found.id).status == "requested"
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0
    with pytest.raises(IntegrityError):  # the database's last word
        db.session.execute(update(RefundRequest).values(decided_by=found.requested_by))
        db.session.flush()
    db.session.rollback()
    rejected = act(approvals.reject, found.id, actor=BERT, note="Not returned")
    assert rejected.status == "rejected" and rejected.decided_by == BERT.ref


def test_a_request_above_what_remains_or_without_reason_is_refused(client, stripe_server,
                                                                   threshold):
    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)  # 9000
    act(approvals.request, payment["id"], amount=6000, reason="first", actor=ANNA)
    for amount, reason in ((3001, "more"), (0, "zero"), (-1, "neg"), (10.5, "float"),
                           (100, " ")):
        with pytest.raises(InvalidInput):
            act(approvals.request, payment["id"], amount=amount, reason=reason, actor=ANNA)
    assert db.session.scalar(select(func.count()).select_from(RefundRequest)) == 1


def test_a_refund_past_the_threshold_is_refused_below_the_api(client, stripe_server, threshold):
    """The API's choice (refund or request) is made before the payment is locked; two
    refunds below the threshold at once could pass it together. refunds.open checks it
    again under the lock, and only an approved refund goes past."""
    from app.core.errors import Conflict
    from app.core.uow import unit_of_work

    _, headers = customer(client)
    _, payment = paid_order(client, headers, stripe_server)  # 90.00 GBP
    with pytest.raises(Conflict):
        with unit_of_work():
            refunds.open(uuid.uuid4(), payment["id"], amount=5001, reason="x", actor=ANNA)
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0
    with unit_of_work():
        call = refunds.open(uuid.uuid4(), payment["id"], amount=5001, reason="x", actor=ANNA,
                            approved=True)
    assert call.amount == 5001
