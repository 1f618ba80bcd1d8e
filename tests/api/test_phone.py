"""A phone for SMS: set it, a code goes to it (through the twilio SDK to the fake),
confirm it, opt in; only then do order confirmations go by SMS as well."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.users.models import User
from tests.factories import bearer, login
from tests.orders_support import order_body, product

pytestmark = pytest.mark.usefixtures("tax_rates")


def _code(twilio) -> str:
    return twilio.sent[-1]["Body"].split("code is ")[1][:6]


def test_a_verified_opted_in_phone_gets_the_order_confirmation_by_sms(client, factories, twilio,
                                                                      smtp):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    set_ = client.put("/api/v1/users/me/phone", json={"phone": "+49 30 1234567"}, headers=headers)
    assert set_.status_code == 200
    assert set_.get_json() == {"phone": "+49301234567", "verified": False, "sms_opt_in": False}
    assert twilio.sent[-1]["To"] == "+49301234567"
    code = _code(twilio)
    # Staff never see the code in the log of what was sent.
    row = db.session.scalars(select(Notification).where(Notification.template == "phone_code")).one()
    assert code not in row.shown_text

    early = client.patch("/api/v1/users/me/phone", json={"sms_opt_in": True}, headers=headers)
    assert early.status_code == 409  # not verified yet
    wrong = client.post("/api/v1/users/me/phone/confirm",
                        json={"code": "000000" if code != "000000" else "111111"}, headers=headers)
    assert wrong.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).phone_code_attempts == 1  # the wrong try counted
    ok = client.post("/api/v1/users/me/phone/confirm", json={"code": code}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["verified"] is True
    opted = client.patch("/api/v1/users/me/phone", json={"sms_opt_in": True}, headers=headers)
    assert opted.get_json() == {"phone": "+49301234567", "verified": True, "sms_opt_in": True}

    order = client.post("/api/v1/orders", json=order_body((product(), 1)), headers=headers)
    assert order.status_code == 201
    number = order.get_json()["number"]
    sms = twilio.sent[-1]
    assert sms["To"] == "+49301234567" and f"#{number} is confirmed" in sms["Body"]
    assert any(f"#{number}" in m["Subject"] for m in smtp.wait_for(1))


def test_without_opt_in_no_sms_is_sent(client, factories, twilio, smtp):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    client.put("/api/v1/users/me/phone", json={"phone": "+49 30 1234567"}, headers=headers)
    client.post("/api/v1/users/me/phone/confirm", json={"code": _code(twilio)}, headers=headers)
    before = len(twilio.sent)
    assert client.post("/api/v1/orders", json=order_body((product(), 1)),
                       headers=headers).status_code == 201
    smtp.wait_for(1)
    assert len(twilio.sent) == before


@pytest.mark.parametrize("body", [{"phone": "12345"}, {"phone": "call me"}, {}, {"phone": "+" + "1" * 20}])
def test_an_invalid_number_is_refused_and_nothing_sent(client, factories, twilio, body):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    resp = client.put("/api/v1/users/me/phone", json=body, headers=headers)
    assert resp.status_code == 422 and resp.get_json()["code"] == 422
    assert twilio.requests == []
    assert client.get("/api/v1/users/me/phone", headers=headers).get_json()["phone"] is None


def test_changing_the_number_in_the_profile_unverifies_it(client, factories, twilio):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    client.put("/api/v1/users/me/phone", json={"phone": "+49 30 1234567"}, headers=headers)
    client.post("/api/v1/users/me/phone/confirm", json={"code": _code(twilio)}, headers=headers)
    etag = client.get("/api/v1/users/me", headers=headers).headers["ETag"]
    client.patch("/api/v1/users/me", json={"phone": "+44 20 7946 0000"},
                 headers={**headers, "If-Match": etag})
    assert client.get("/api/v1/users/me/phone", headers=headers).get_json()["verified"] is False
