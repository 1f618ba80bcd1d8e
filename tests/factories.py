"""Test data through the real services (so every row is one the app could make)."""
from __future__ import annotations

import itertools
import uuid

from app.apikeys import service as apikeys
from app.core.actor import Actor
from app.staff import service as staff_service
from app.users import service as users

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def email(prefix: str = "user") -> str:
    return f"{prefix}{next(_seq)}-{uuid.uuid4().hex[:6]}@example.com"


def user(*, email_addr: str | None = None, password: str = PASSWORD, full_name: str = "Test User",
         verified: bool = False):
    u = users.register(email_addr or email(), password, full_name)
    if verified:
        users.verify_email(users.verification_token(u))
    return u


def staff(role: str = "admin", *, email_addr: str | None = None, password: str = PASSWORD):
    return staff_service.create(email_addr or email(role), role, password, f"Test {role}",
                                actor=Actor.system("tests"))


def api_key(scopes=("catalog:read",), name: str = "Test partner"):
    """Returns (ApiKey row, full secret)."""
    return apikeys.create(name, list(scopes), actor=Actor.system("tests"))


def login(client, email_addr: str, password: str = PASSWORD) -> dict:
    resp = client.post("/api/v1/auth/login", json={"email": email_addr, "password": password})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
