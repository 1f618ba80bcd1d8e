"""The SMS "link to the invoice", as the customer receives it (the twilio SDK against the
fake Twilio): paying an order by card sends it, the link opens that invoice's PDF
without signing in, and a link is good for its own invoice only."""
import io
import re
import uuid

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.invoices.models import Invoice
from app.payments.models import Payment
from tests.factories import bearer, login
from tests.payments_support import paid_order

pytestmark = pytest.mark.usefixtures("tax_rates")

LINK = re.compile(r"https?://[^\s/]+(/documents/invoice\?token=\S+)")


def sms_customer(client, factories, twilio, phone: str) -> dict:
    """A customer whose phone is verified by its code and opted in to SMS."""
    user = factories.user(verified=True)
    headers = bearer(login(client, user.email)["access_token"])
    assert client.put("/api/v1/users/me/phone", json={"phone": phone},
                      headers=headers).status_code == 200
    code = twilio.sent[-1]["Body"].split("code is ")[1][:6]
    assert client.post("/api/v1/users/me/phone/confirm", json={"code": code},
                       headers=headers).status_code == 200
    assert client.patch("/api/v1/users/me/phone", json={"sms_opt_in": True},
                        headers=headers).get_json()["sms_opt_in"] is True
    return headers


def received_link(twilio, to: str) -> str:
    links = [LINK.search(m["Body"]) for m in twilio.sent if m["To"] == to]
    links = [m.group(1) for m in links if m]
    assert len(links) == 1, [m["Body"] for m in twilio.sent]
    return links[0]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def invoice_of(payment: dict) -> Invoice:
    return db.session.get(Invoice, db.session.get(Payment, uuid.UUID(payment["id"])).invoice_id)


def test_the_invoice_link_received_by_sms_opens_that_invoice_only(client, factories, twilio,
                                                                 stripe_server, smtp):
    ann = sms_customer(client, factories, twilio, "+49 30 1111111")
    ann_order, ann_paid = paid_order(client, ann, stripe_server)
    bob = sms_customer(client, factories, twilio, "+49 30 2222222")
    _, bob_paid = paid_order(client, bob, stripe_server, quantity=1)
    ann_invoice, bob_invoice = invoice_of(ann_paid), invoice_of(bob_paid)

    ann_link = received_link(twilio, "+49301111111")
    sms = next(m["Body"] for m in twilio.sent if ann_link in m["Body"])
    assert f"{ann_invoice.number} for order #{ann_order['number']}" in sms

    opened = client.get(ann_link)  # no sign-in: a phone's browser has no API token
    assert opened.status_code == 200 and opened.headers["Content-Type"] == "application/pdf"
    text = pdf_text(opened.data)
    assert ann_invoice.number in text and bob_invoice.number not in text
    assert f'filename="{ann_invoice.number}.pdf"' in opened.headers["Content-Disposition"]

    bob_link = received_link(twilio, "+49302222222")
    assert bob_invoice.number in pdf_text(client.get(bob_link).data)
    # Ann's signature over Bob's invoice id: the link names one invoice, and only that.
    ann_token, bob_token = (link.split("token=")[1] for link in (ann_link, bob_link))
    spliced = bob_token.split(".")[0] + "." + ".".join(ann_token.split(".")[1:])
    refused = client.get(f"/documents/invoice?token={spliced}")
    assert refused.status_code == 422 and not refused.data.startswith(b"%PDF")
