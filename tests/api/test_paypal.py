"""PayPal payments through the API, with PayPal's own server SDK (paypal-server-sdk)
talking to tests/paypal_server.py: a FAKE PayPal REST API, because no PayPal sandbox is
reachable from the tests (no network) and PayPal ships no local server. The fake speaks
PayPal's documented bodies for OAuth, Orders v2 (create, get, capture), captures
refunds and verify-webhook-signature; the buyer's approval is simulated at the fake.

End to end: order -> PayPal payment (approval link) -> buyer approves -> capture ->
webhook -> order paid -> invoice paid, equal to the order -> receipt email (aiosmtpd);
refund -> credit note; duplicate and out-of-order webhooks; bad verification."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import GatewayEvent, Payment, Refund
from tests.factories import bearer
from tests.payments_support import customer, new_key, pay, place_order, refund

pytestmark = pytest.mark.usefixtures("tax_rates")


@pytest.fixture
def partner(factories):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read"])
    return bearer(secret)


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Payment, Refund, GatewayEvent, Invoice))


def _send(client, paypal, event_type, resource, **kwargs):
    body, headers = paypal.webhook(event_type, resource, **kwargs)
    return client.post("/api/v1/webhooks/paypal", data=body, headers=headers)


def _approved(client, paypal):
    """A PayPal payment the buyer approved (not captured yet)."""
    _, headers = customer(client)
    order = place_order(client, headers)
    payment = pay(client, headers, order, method="paypal", key=new_key()).get_json()
    paypal.approve(payment["gateway_payment_id"])
    return headers, order, payment


def test_order_paid_by_paypal_end_to_end(client, paypal, smtp):
    _, headers = customer(client)
    order = place_order(client, headers)
    smtp.wait_for(1)  # the order confirmation
    smtp.messages.clear()

    created = pay(client, headers, order, method="paypal", key=new_key())
    assert created.status_code == 201, created.get_json()
    payment = created.get_json()
    assert (payment["method"], payment["gateway"], payment["status"]) == (
        "paypal", "paypal", "requires_action")
    assert payment["approval_url"].endswith(f"token={payment['gateway_payment_id']}")
    at_paypal = paypal.order(payment["gateway_payment_id"])
    assert at_paypal["purchase_units"][0]["amount"] == {"currency_code": "GBP", "value": "90.00"}
    assert at_paypal["purchase_units"][0]["custom_id"] == payment["id"]

    # Not approved yet: capturing is refused and nothing changes.
    early = client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    assert early.status_code == 409, early.get_json()
    assert "approve" in early.get_json()["message"]

    paypal.approve(payment["gateway_payment_id"])  # the buyer, at the approval link
    captured = client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    assert captured.status_code == 200, captured.get_json()
    paid = captured.get_json()
    assert paid["status"] == "succeeded" and paid["approval_url"] is None

    # PayPal's webhook says the same: acknowledged, changes nothing.
    capture = paypal.capture_of(payment["gateway_payment_id"])
    assert _send(client, paypal, "PAYMENT.CAPTURE.COMPLETED", capture).status_code == 200

    order_now = client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()
    assert order_now["status"] == "paid"
    assert order_now["payment_reference"] == payment["gateway_payment_id"]
    invoice = client.get(f"/api/v1/invoices/{paid['invoice_id']}", headers=headers).get_json()
    assert invoice["status"] == "paid" and invoice["order_id"] == order["id"]
    assert invoice["total_amount"] == order["total_amount"] == paid["amount"] == 9000
    assert invoice["amount_due"] == 0

    receipt = [m for m in smtp.wait_for(1) if m["Subject"].startswith("Receipt")]
    assert receipt, [m["Subject"] for m in smtp.messages]
    [attachment] = list(receipt[0].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"


def test_the_capture_webhook_alone_pays_the_order(client, paypal):
    """The app never called capture back (the buyer closed the tab after PayPal captured
    elsewhere): PAYMENT.CAPTURE.COMPLETED pays the order, found by our custom_id."""
    headers, order, payment = _approved(client, paypal)
    paypal.route("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture", {})
    capture = paypal.capture_of(payment["gateway_payment_id"])
    assert _send(client, paypal, "PAYMENT.CAPTURE.COMPLETED", capture).status_code == 200
    now = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert now["status"] == "succeeded" and now["invoice_id"]
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "paid"
    # Capturing now is harmless: the captured payment, once.
    again = client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    assert again.status_code == 200 and again.get_json()["status"] == "succeeded"
    assert db.session.scalar(select(func.count()).select_from(Invoice)) == 1


def test_capture_twice_with_a_key_and_without(client, paypal):
    headers, order, payment = _approved(client, paypal)
    url = f"/api/v1/payments/{payment['id']}/capture"
    first = client.post(url, headers={**headers, "Idempotency-Key": "c1"})
    replay = client.post(url, headers={**headers, "Idempotency-Key": "c1"})
    plain = client.post(url, headers=headers)
    assert [r.status_code for r in (first, replay, plain)] == [200, 200, 200]
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert [c for c in paypal.seen if c[1].endswith("/capture")] == [
        ("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture")]
    assert db.session.scalar(select(func.count()).select_from(Invoice)) == 1


def test_the_same_webhook_five_times_and_out_of_order(client, paypal):
    headers, order, payment = _approved(client, paypal)
    paypal.route("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture", {})
    capture = paypal.capture_of(payment["gateway_payment_id"])
    # Out of order: the pending and the denial arrive after the completion.
    answers = [_send(client, paypal, "PAYMENT.CAPTURE.COMPLETED", capture, event_id="WH-SAME")
               for _ in range(5)]
    assert [a.get_json()["duplicate"] for a in answers] == [False, True, True, True, True]
    for late in ("PAYMENT.CAPTURE.PENDING", "PAYMENT.CAPTURE.DENIED"):
        assert _send(client, paypal, late, {**capture, "status": late.split(".")[-1]}
                     ).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 3
    now = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert (now["status"], now["failure_code"]) == ("succeeded", None)
    assert db.session.scalar(select(func.count()).select_from(Invoice)) == 1


def test_bad_verification_is_400_and_changes_nothing(client, paypal):
    headers, order, payment = _approved(client, paypal)
    paypal.route("POST", f"/v2/checkout/orders/{payment['gateway_payment_id']}/capture", {})
    capture = paypal.capture_of(payment["gateway_payment_id"])
    before = _counts()
    forged = _send(client, paypal, "PAYMENT.CAPTURE.COMPLETED", capture, tamper=True)
    other_hook = _send(client, paypal, "PAYMENT.CAPTURE.COMPLETED", capture,
                       webhook_id="SOMEONE-ELSES")
    body, headers_ = paypal.webhook("PAYMENT.CAPTURE.COMPLETED", capture)
    del headers_["PAYPAL-TRANSMISSION-SIG"]
    unsigned = client.post("/api/v1/webhooks/paypal", data=body, headers=headers_)
    not_json = client.post("/api/v1/webhooks/paypal", data=b"{nope",
                           headers=paypal.webhook("X.Y", {})[1])
    elsewhere = client.post("/api/v1/webhooks/paypal", data=body, headers={
        **headers_, "PAYPAL-TRANSMISSION-SIG": "x",
        "PAYPAL-CERT-URL": "https://paypal.com.evil.example/c"})
    assert [r.status_code for r in (forged, other_hook, unsigned, not_json, elsewhere)] == [400] * 5
    assert "did not verify" in forged.get_json()["message"]
    assert _counts() == before
    assert client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()[
        "status"] == "requires_action"


def test_unknown_types_are_acknowledged_and_ignored(client, paypal, caplog):
    headers, order, payment = _approved(client, paypal)
    resp = _send(client, paypal, "CHECKOUT.ORDER.APPROVED",
                 paypal.order(payment["gateway_payment_id"]))
    assert resp.status_code == 200 and resp.get_json() == {"received": True, "duplicate": False}
    [row] = db.session.scalars(select(GatewayEvent)).all()
    assert (row.gateway, row.outcome) == ("paypal", "ignored: unhandled type")
    assert client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()[
        "status"] == "requires_action"


def test_refunds_issue_credit_notes_and_webhooks_change_nothing(client, paypal, partner):
    headers, order, payment = _approved(client, paypal)
    client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    part = refund(client, partner, payment["id"], key=new_key(), amount=4000, reason="one")
    assert part.status_code == 201, part.get_json()
    body = part.get_json()
    assert body["status"] == "succeeded" and body["credit_note_id"]
    at_paypal = paypal.order(payment["gateway_payment_id"])["purchase_units"][0]["payments"]
    assert at_paypal["refunds"][0]["amount"] == {"currency_code": "GBP", "value": "40.00"}
    assert at_paypal["refunds"][0]["custom_id"] == body["id"]
    # PayPal's refund webhook: the same refund, nothing more.
    assert _send(client, paypal, "PAYMENT.CAPTURE.REFUNDED", at_paypal["refunds"][0]
                 ).status_code == 200
    rest = refund(client, partner, payment["id"], key=new_key(), reason="rest")
    assert rest.status_code == 201 and rest.get_json()["amount"] == 5000
    over = refund(client, partner, payment["id"], amount=1)
    assert over.status_code == 409
    after = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert after["status"] == "refunded" and after["amount_refunded"] == 9000
    notes = db.session.scalars(select(Invoice).where(
        Invoice.credit_note_for_id == uuid.UUID(after["invoice_id"]))).all()
    assert sorted(-n.total_amount for n in notes) == [4000, 5000]
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "refunded"


def test_without_paypal_keys_503_names_them_and_cards_still_work(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAYPAL_CLIENT_ID", None)
    monkeypatch.setitem(app.config, "PAYPAL_CLIENT_SECRET", None)
    _, headers = customer(client)
    order = place_order(client, headers)
    before = _counts()
    resp = pay(client, headers, order, method="paypal")
    assert resp.status_code == 503, resp.get_json()
    assert "PAYPAL_CLIENT_ID" in resp.get_json()["message"]
    assert "PAYPAL_CLIENT_SECRET" in resp.get_json()["message"]
    from tests.paypal_server import FakePayPal

    body, signed = FakePayPal.webhook("PAYMENT.CAPTURE.COMPLETED", {})
    hook = client.post("/api/v1/webhooks/paypal", data=body, headers=signed)
    assert hook.status_code == 503 and "PAYPAL_WEBHOOK_ID" in hook.get_json()["message"]
    assert _counts() == before


def test_a_paypal_outage_then_success_creates_one_order(client, paypal):
    _, headers = customer(client)
    order = place_order(client, headers)
    paypal.fail_next(2)  # the SDK retries 5xx; PayPal-Request-Id keeps it one order
    resp = pay(client, headers, order, method="paypal", key=new_key())
    assert resp.status_code == 201, resp.get_json()
    assert len(paypal.orders) == 1


def test_bank_transfers_are_not_taken_here(client, paypal):
    _, headers = customer(client)
    order = place_order(client, headers)
    resp = pay(client, headers, order, method="bank_transfer")
    assert resp.status_code == 422 and resp.get_json()["errors"]["method"]


def test_paypal_unreachable_is_503_and_a_retry_with_the_key_goes_on(client, app, paypal,
                                                                    monkeypatch):
    from tests.conftest import free_port

    _, headers = customer(client)
    order = place_order(client, headers)
    key = new_key()
    monkeypatch.setitem(app.config, "PAYPAL_API_BASE", f"http://127.0.0.1:{free_port()}")
    down = pay(client, headers, order, method="paypal", key=key)
    assert down.status_code == 503, down.get_json()
    assert down.get_json()["code"] == 503 and "could not be reached" in down.get_json()["message"]
    [row] = db.session.scalars(select(Payment)).all()
    assert (row.status, row.failure_code) == ("pending", "gateway_unavailable")

    monkeypatch.setitem(app.config, "PAYPAL_API_BASE", paypal.url)
    again = pay(client, headers, order, method="paypal", key=key)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["id"] == str(row.id) and again.get_json()["approval_url"]
    assert len(paypal.orders) == 1


def test_no_transaction_is_open_during_paypal_calls(client, paypal, partner, monkeypatch):
    from app.payments import paypal_gateway

    seen = []
    for name in ("create_payment", "capture", "create_refund"):
        real = getattr(paypal_gateway, name)

        def watched(*args, _real=real, _name=name, **kwargs):
            seen.append((_name, db.session().in_transaction()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(paypal_gateway, name, watched)
    headers, order, payment = _approved(client, paypal)
    assert client.post(f"/api/v1/payments/{payment['id']}/capture",
                       headers=headers).status_code == 200
    assert refund(client, partner, payment["id"], amount=100).status_code == 201
    assert seen == [("create_payment", False), ("capture", False), ("create_refund", False)]


def test_a_crash_after_the_capture_is_healed_by_reconciliation(client, paypal, monkeypatch):
    """The process dies between PayPal's capture and our commit: nothing is recorded;
    the hourly reconciliation finds the capture and pays the order, once."""
    from app.payments import service
    from jobs.periodic import reconcile_payments

    headers, order, payment = _approved(client, paypal)
    real_locked = service._locked

    def crash(payment_id):
        raise SystemExit("worker killed")

    monkeypatch.setattr(service, "_locked", crash)
    with pytest.raises(SystemExit):
        client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    monkeypatch.setattr(service, "_locked", real_locked)
    db.session.rollback()
    assert paypal.order(payment["gateway_payment_id"])["status"] == "COMPLETED"
    assert db.session.get(Payment, uuid.UUID(payment["id"])).status == "requires_action"

    assert reconcile_payments()["paypal"] == {"healed_missed_webhook": 1}
    db.session.expire_all()
    assert db.session.get(Payment, uuid.UUID(payment["id"])).status == "succeeded"
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "paid"
    assert db.session.scalar(select(func.count()).select_from(Invoice)) == 1
    assert len([c for c in paypal.seen if c[1].endswith("/capture")]) == 1


def test_a_pending_refund_is_settled_by_its_webhook(client, paypal, partner):
    headers, order, payment = _approved(client, paypal)
    client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    paypal.refund_status = "PENDING"
    resp = refund(client, partner, payment["id"], amount=2500, reason="late")
    assert resp.status_code == 201 and resp.get_json()["status"] == "pending"
    assert resp.get_json()["credit_note_id"] is None
    [settled] = paypal.settle_refunds()
    for _ in range(2):
        assert _send(client, paypal, "PAYMENT.CAPTURE.REFUNDED", settled,
                     event_id="WH-R1").status_code == 200
    done = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert done["amount_refunded"] == 2500 and done["refunds"][0]["status"] == "succeeded"
    assert done["refunds"][0]["credit_note_id"] is not None
    assert done["refunds"][0]["gateway_refund_id"] == settled["id"]


def test_a_pending_refund_whose_webhook_was_lost_is_settled_by_reconciliation(
        client, paypal, partner):
    from jobs.periodic import reconcile_payments

    headers, order, payment = _approved(client, paypal)
    client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    paypal.refund_status = "PENDING"
    assert refund(client, partner, payment["id"], amount=9000).status_code == 201
    paypal.settle_refunds()  # its webhook never arrives
    assert reconcile_payments()["paypal"] == {"ok": 1, "healed_missed_webhook": 1}
    done = client.get(f"/api/v1/payments/{payment['id']}", headers=partner).get_json()
    assert done["status"] == "refunded" and done["refunds"][0]["credit_note_id"]
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "refunded"


def test_a_return_url_sends_the_buyer_back_to_the_app(client, app, paypal, monkeypatch):
    monkeypatch.setitem(app.config, "PAYPAL_RETURN_URL",
                        "https://shop.example.com/paypal/return?payment={payment_id}")
    headers, order, payment = _approved(client, paypal)
    assert payment["approval_url"].endswith(payment["gateway_payment_id"])
    context = paypal.created[0]["payment_source"]["paypal"]["experience_context"]
    assert context["return_url"] == (
        f"https://shop.example.com/paypal/return?payment={payment['id']}")
    assert context["cancel_url"] == context["return_url"]
    captured = client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    assert captured.get_json()["status"] == "succeeded"


def test_a_declined_capture_fails_the_payment_and_the_order_stays_payable(client, paypal,
                                                                         smtp):
    headers, order, payment = _approved(client, paypal)
    smtp.wait_for(1)
    smtp.messages.clear()
    paypal.capture_status = "DECLINED"
    resp = client.post(f"/api/v1/payments/{payment['id']}/capture", headers=headers)
    assert resp.status_code == 402, resp.get_json()
    assert resp.get_json()["errors"]["decline_code"] == ["DECLINED_BY_RISK_FRAUD_FILTERS"]
    failed = client.get(f"/api/v1/payments/{payment['id']}", headers=headers).get_json()
    assert (failed["status"], failed["failure_code"]) == (
        "failed", "DECLINED_BY_RISK_FRAUD_FILTERS")
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).get_json()[
        "status"] == "pending_payment"
    assert any("did not go through" in m["Subject"] for m in smtp.wait_for(1))
    paypal.capture_status = "COMPLETED"
    again = pay(client, headers, order, method="paypal", key=new_key())
    assert again.status_code == 201 and again.get_json()["id"] != payment["id"]
