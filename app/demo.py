"""Demo data for the embedded default: idempotent, no fixed passwords anywhere."""
from __future__ import annotations

import json
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from config import write_private

from app import demo_sales
from app.catalog import demo as catalog_demo
from app.tax import demo as tax_demo
from app.core.actor import Actor
from app.core.errors import PermissionDenied
from app.extensions import db
from app.staff import service as staff_service
from app.staff.models import Staff
from app.users import service as user_service
from app.users.models import User

DEMO_STAFF = [
    ("admin@nextgen.example", "admin", "Ada Admin"),
    ("finance@nextgen.example", "finance", "Finn Finance"),
    ("support@nextgen.example", "support", "Sam Support"),
]
DEMO_CUSTOMERS = [
    ("alice@example.com", "Alice Martin"),
    ("bob@example.com", "Bob Okafor"),
    ("chen@example.com", "陈伟"),
]


def _credentials_file() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "demo-credentials.json"


def _stored() -> dict:
    path = _credentials_file()
    return json.loads(path.read_text()) if path.exists() else {}


def _store(creds: dict) -> None:
    write_private(_credentials_file(), json.dumps(creds, indent=2))


def load() -> dict[str, str]:
    """Create what is missing; returns email -> password for the accounts created now or
    before (passwords are random per machine, or DEMO_ADMIN_PASSWORD for the admin)."""
    if current_app.config["SECURE_ENVIRONMENT"]:
        raise PermissionDenied(
            f"Demo data is never loaded when APP_ENV is {current_app.config['APP_ENV']!r}: "
            "its accounts have published emails.")
    actor = Actor.system("demo-loader")
    creds = _stored()
    for email, role, name in DEMO_STAFF:
        if db.session.scalars(select(Staff.id).where(Staff.email == email)).first():
            continue
        password = (current_app.config.get("DEMO_ADMIN_PASSWORD") if role == "admin" else None) \
            or secrets.token_urlsafe(12)
        staff_service.create(email, role, password, name, actor=actor)
        creds[email] = password
    for email, name in DEMO_CUSTOMERS:
        if db.session.scalars(select(User.id).where(User.email == email)).first():
            continue
        password = secrets.token_urlsafe(12)
        user_service.register(email, password, name, actor=actor)
        creds[email] = password
    _store(creds)
    catalog_demo.load()
    tax_demo.load()
    db.session.flush()
    demo_sales.load([email for email, _ in DEMO_CUSTOMERS],
                    admin_email=next(e for e, role, _ in DEMO_STAFF if role == "admin"))
    return creds
