import re

from sqlalchemy import func, select

from app.apikeys.models import ApiKey
from app.extensions import db
from app.staff.models import Staff


def test_demo_load_is_idempotent_and_prints_logins(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ADMIN_PASSWORD", "chosen keeper passphrase")
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@nextgen.example  password: chosen keeper passphrase" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "chosen keeper passphrase" in second.output
    roles = db.session.scalars(select(Staff.role)).all()
    assert sorted(roles) == ["admin", "finance", "support"]


def test_demo_passwords_are_random_without_the_variable(app, runner):
    out = runner.invoke(args=["demo", "load"]).output
    passwords = re.findall(r"password: (\S+)", out)
    assert len(passwords) == 6 and len(set(passwords)) == 6


def test_staff_create_and_apikeys_create(app, runner):
    ok = runner.invoke(args=["staff", "create", "--email", "Boss@Example.com", "--role", "finance"],
                       input="long enough passphrase\nlong enough passphrase\n")
    assert ok.exit_code == 0, ok.output
    assert db.session.scalars(select(Staff.email)).one() == "boss@example.com"
    bad = runner.invoke(args=["staff", "create", "--email", "x@example.com", "--role", "admin",
                              "--password-stdin"], input="short\n")
    assert bad.exit_code != 0 and "too short" in bad.output
    # #13 finding 11: a password is never a command-line argument (the process list shows it).
    argv = runner.invoke(args=["staff", "create", "--email", "y@example.com", "--role", "admin",
                               "--password", "long enough passphrase"])
    assert argv.exit_code == 2 and "No such option" in argv.output

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
