"""Test data through the real services (so every row is one the app could make); each
factory is a runner and commits its unit of work."""
from __future__ import annotations

import itertools
import uuid

from app.apikeys import service as apikeys
from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.staff import service as staff_service
from app.users import service as users

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def email(prefix: str = "user") -> str:
    return f"{prefix}{next(_seq)}-{uuid.uuid4().hex[:6]}@example.com"


@unit_of_work()
def user(*, email_addr: str | None = None, password: str = PASSWORD, full_name: str = "Test User",
         verified: bool = False):
    u = users.register(email_addr or email(), password, full_name)
    if verified:
        users.verify_email(users.verification_token(u))
    return u


@unit_of_work()
def staff(role: str = "admin", *, email_addr: str | None = None, password: str = PASSWORD):
    return staff_service.create(email_addr or email(role), role, password, f"Test {role}",
                                actor=Actor.system("tests"))


@unit_of_work()
def api_key(scopes=("orders:read",), name: str = "Test partner"):
    """Returns (ApiKey row, full secret)."""
    return apikeys.create(name, list(scopes), actor=Actor.system("tests"))


def login(client, email_addr: str, password: str = PASSWORD) -> dict:
    resp = client.post("/api/v1/auth/login", json={"email": email_addr, "password": password})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# -- catalogue ---------------------------------------------------------------------------
_CATALOG_ACTOR = Actor.system("tests")


@unit_of_work()
def category(name: str | None = None, *, parent=None, slug: str | None = None):
    from app.catalog import service as catalog

    name = name or f"Category {next(_seq)}"
    return catalog.create_category(name, slug=slug or f"{name}-{uuid.uuid4().hex[:6]}",
                                   parent_id=getattr(parent, "id", parent), actor=_CATALOG_ACTOR)


@unit_of_work()
def product(*, sku: str | None = None, name: str = "Test product", price_amount: int = 1000,
            currency: str = "EUR", category=None, **fields):
    """A product through the service; ``category`` may be a Category or its id."""
    from app.catalog import service as catalog

    data = {"sku": sku or f"SKU-{next(_seq)}-{uuid.uuid4().hex[:6]}", "name": name,
            "price_amount": price_amount, "currency": currency, **fields}
    if category is not None:
        data["category_id"] = getattr(category, "id", category)
    return catalog.create_product(data, actor=_CATALOG_ACTOR)


def product_rows(count: int, *, prefix: str = "BULK", **fields) -> list[dict]:
    """Rows for bulk_upsert_by_sku / POST /products/bulk-upsert."""
    return [{"sku": f"{prefix}-{i:05d}", "name": f"Bulk product {i}", "price_amount": 100 + i,
             "currency": "EUR", **fields} for i in range(count)]


def vat_check(tax_id: str, *, valid: bool = True, days_ago: float = 0, error: str | None = None,
              name: str | None = "Test Business"):
    """A stored VIES check made ``days_ago``: written directly, because a check from the
    past cannot be made through the service today (tests of the maximum age need one)."""
    from datetime import timedelta

    from app.core.types import utcnow
    from app.extensions import db
    from app.tax.models import VatCheck
    from app.tax.vat_ids import tax_id_country

    row = VatCheck(tax_id=tax_id, country=tax_id_country(tax_id), valid=valid and not error,
                   name=name, error=error, checked_at=utcnow() - timedelta(days=days_ago))
    db.session.add(row)
    db.session.commit()
    return row
