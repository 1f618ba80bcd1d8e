"""The back office's "Cancel payment" (finance, admin; support reads only): the same
app.payments.cancellation as POST /payments/{id}/cancel, behind a CSRF-protected POST,
audited; and the customer's saved cards shown masked on the payment and customer pages."""
import re
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.orders.models import Order
from app.payments.models import Payment
from tests.payments_support import awaiting_3ds, customer, new_key, pay, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")

PAYMENTS = "/admin/payments/"


def _details(payment_id) -> str:
    return f"{PAYMENTS}details/?id={payment_id}"



def _status(payment_id) -> str:
    db.session.expire_all()
    return db.session.get(Payment, uuid.UUID(payment_id)).status


def test_finance_cancels_an_abandoned_payment(client, stripe_server, login_as):
    headers, order, payment = awaiting_3ds(client, stripe_server)
    bo, staff = login_as("finance")
    page = bo.get(_details(payment["id"])).get_data(as_text=True)
    assert 'id="cancel-form"' in page and "Cancel payment" in page
    assert f'action="/admin/payments/{payment["id"]}/cancel/"' in page

    # Without the CSRF token the POST is refused and nothing changes.
    forged = bo.client.post(f"{PAYMENTS}{payment['id']}/cancel/", data={})
    assert forged.status_code == 400 and _status(payment["id"]) == "requires_action"

    resp = bo.post(f"{PAYMENTS}{payment['id']}/cancel/", token_from=_details(payment["id"]))
    assert resp.status_code == 302
    after = bo.get(resp.location).get_data(as_text=True)
    assert "is cancelled" in after and 'id="cancel-form"' not in after
    assert _status(payment["id"]) == "cancelled"
    assert stripe_server.intent(payment["gateway_payment_id"])["status"] == "canceled"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "payment.cancelled",
        AuditEntry.target_id == payment["id"])).one()
    assert entry.actor_kind == "staff" and entry.actor_label == staff.email
    # The order can be paid again.
    again = pay(client, headers, order, key=new_key(), payment_method=stripe_server.card())
    assert again.status_code == 201 and again.get_json()["status"] == "succeeded"


def test_support_sees_no_cancel_and_is_refused(client, stripe_server, login_as):
    _, _, payment = awaiting_3ds(client, stripe_server)
    bo, _ = login_as("support")
    page = bo.get(_details(payment["id"])).get_data(as_text=True)
    assert 'id="cancel-form"' not in page
    resp = bo.post(f"{PAYMENTS}{payment['id']}/cancel/", token_from=_details(payment["id"]))
    assert resp.status_code == 403
    assert _status(payment["id"]) == "requires_action"
    assert stripe_server.intent(payment["gateway_payment_id"])["status"] == "requires_action"


def test_cancelling_a_payment_that_succeeded_meanwhile_records_the_success(
        client, stripe_server, login_as):
    _, order, payment = awaiting_3ds(client, stripe_server)
    bo, _ = login_as("admin")
    token = bo.token(_details(payment["id"]))  # the page was rendered while it was open
    # Meanwhile the customer passes 3-D Secure: Stripe takes the money.
    stripe_server.authenticate(stripe_server.intent(payment["gateway_payment_id"]))
    resp = bo.client.post(f"{PAYMENTS}{payment['id']}/cancel/", data={"csrf_token": token})
    after = bo.get(resp.location).get_data(as_text=True)
    assert "succeeded at its gateway" in after
    assert _status(payment["id"]) == "succeeded"
    assert db.session.get(Payment, uuid.UUID(payment["id"])).invoice_id is not None
    assert db.session.get(Order, uuid.UUID(order["id"])).status == "paid"


def test_saved_cards_are_shown_masked(client, stripe_server, login_as):
    user, headers = customer(client)
    setup = client.post("/api/v1/customers/me/setup-intents", headers=headers).get_json()
    pm = stripe_server.confirm_setup(setup)
    saved = client.post("/api/v1/customers/me/payment-methods", json={"payment_method": pm},
                        headers=headers).get_json()
    order = place_order(client, headers)
    payment = pay(client, headers, order, key=new_key(),
                  payment_method_id=saved["id"]).get_json()
    bo, _ = login_as("support")
    for url in (f"/admin/customers/details/?id={user.id}", _details(payment["id"])):
        page = bo.get(url).get_data(as_text=True)
        assert re.search(r"Visa \W+ 4242, 12/2030", page), url
        assert "4242424242424242" not in page and pm not in page
    assert "Saved card charged" in bo.get(_details(payment["id"])).get_data(as_text=True)
