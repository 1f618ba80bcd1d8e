import re

from sqlalchemy import func, select

from app.apikeys.models import ApiKey
from app.extensions import db
from app.staff.models import Staff


def test_demo_load_is_idempotent_and_prints_logins(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ADMIN_PASSWORD", "chosen admin passphrase")
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@nextgen.example  password: chosen admin passphrase" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "chosen admin passphrase" in second.output
    roles = db.session.scalars(select(Staff.role)).all()
    assert sorted(roles) == ["admin", "finance", "support"]


def test_demo_passwords_are_random_without_the_variable(app, runner):
    out = runner.invoke(args=["demo", "load"]).output
    passwords = re.findall(r"password: (\S+)", out)
    assert len(passwords) == 6 and len(set(passwords)) == 6


def test_staff_create_and_apikeys_create(app, runner):
    ok = runner.invoke(args=["staff", "create", "--email", "Boss@Example.com", "--role", "finance",
                             "--password", "long enough passphrase"])
    assert ok.exit_code == 0, ok.output
    assert db.session.scalars(select(Staff.email)).one() == "boss@example.com"
    bad = runner.invoke(args=["staff", "create", "--email", "x@example.com", "--role", "admin",
                              "--password", "short"])
    assert bad.exit_code != 0 and "too short" in bad.output

    out = runner.invoke(args=["apikeys", "create", "--name", "Acme", "--scopes",
                              "orders:read,catalog:write"])
    assert out.exit_code == 0, out.output
    secret = out.output.strip().splitlines()[-1]
    assert secret.startswith("ngm_")
    key = db.session.scalars(select(ApiKey)).one()
    assert key.scopes == ["catalog:write", "orders:read"] and secret not in key.key_hash
    refused = runner.invoke(args=["apikeys", "create", "--name", "Acme", "--scopes", "root"])
    assert refused.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(ApiKey)) == 1
