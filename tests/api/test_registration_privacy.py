"""#13 finding 4 through the API: sign-up and reset say nothing about whether an email has
an account (same answer, same work), are limited per IP, and argon2 work is budgeted per IP."""
import statistics
import time

from sqlalchemy import func, select

from app.core import passwords
from app.events.models import OutboxEvent
from app.extensions import db
from tests.factories import PASSWORD

REGISTER = "/api/v1/auth/register"


def _count_hashes(monkeypatch) -> list:
    calls = []
    original = passwords.hash_password

    def counted(password):
        calls.append(1)
        return original(password)

    monkeypatch.setattr(passwords, "hash_password", counted)
    return calls


def test_taken_and_new_emails_get_the_same_answer_and_work(client, factories, smtp, monkeypatch):
    taken = factories.user(email_addr="taken@example.com")
    hashes = _count_hashes(monkeypatch)
    old = client.post(REGISTER, json={"email": "TAKEN@example.com", "password": PASSWORD})
    assert len(hashes) == 1  # the argon2 hash a new account costs
    new = client.post(REGISTER, json={"email": "fresh@example.com", "password": PASSWORD})
    assert len(hashes) == 2
    assert old.status_code == new.status_code == 202
    assert old.get_data() == new.get_data()
    messages = {m["To"]: m for m in smtp.wait_for(2)}
    assert "Someone tried" in messages[taken.email]["Subject"]
    assert "Confirm your email" in messages["fresh@example.com"]["Subject"]


def test_taken_and_new_emails_take_similar_time(client, factories):
    factories.user(email_addr="known@example.com")

    def median(make_email):
        times = []
        for i in range(7):
            started = time.perf_counter()
            client.post(REGISTER, json={"email": make_email(i), "password": PASSWORD})
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    known = median(lambda i: "known@example.com")
    fresh = median(lambda i: f"fresh{i}@example.com")
    # Main answered a taken email without hashing: tens of times faster.
    assert known > fresh / 3, (known, fresh)


def test_reset_does_the_same_work_for_unknown_emails(client, factories, smtp):
    user = factories.user()
    for email in (user.email, "nobody-here@example.com"):
        assert client.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.type == "user.password_reset_requested")) == 2
    [message] = [m for m in smtp.wait_for(2) if "Reset" in m["Subject"]]
    assert message["To"] == user.email


def test_sign_ups_are_limited_per_ip(client):
    for i in range(10):
        assert client.post(REGISTER, json={"email": f"flood{i}@example.com",
                                           "password": PASSWORD}).status_code == 202
    resp = client.post(REGISTER, json={"email": "flood@example.com", "password": PASSWORD})
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
    other = client.post(REGISTER, json={"email": "elsewhere@example.com", "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert other.status_code == 202


def test_password_hashing_is_budgeted_per_ip(client, app, factories, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_RATE_LIMIT", "3 per minute")
    user = factories.user()
    body = {"email": user.email, "password": PASSWORD}
    for _ in range(3):
        assert client.post("/api/v1/auth/login", json=body).status_code == 200
    # Sign-ups draw on the same budget as logins.
    assert client.post(REGISTER, json={"email": "x1@example.com", "password": PASSWORD}
                       ).status_code == 429
    assert client.post("/api/v1/auth/login", json=body).status_code == 429
    assert client.post("/api/v1/auth/login", json=body,
                       environ_base={"REMOTE_ADDR": "198.51.100.21"}).status_code == 200
