import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.audit import service as audit
from app.audit.models import AuditEntry, AuditLogImmutable
from app.core.actor import Actor
from app.extensions import db


def test_audit_entries_cannot_be_changed_through_the_orm(app):
    entry = audit.record(Actor.system(), "thing.do", "thing", "1", after={"password": "x", "a": 1})
    db.session.commit()
    assert entry.after == {"password": "[redacted]", "a": 1}
    entry.action = "thing.undo"
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()


def test_postgres_refuses_audit_updates_even_in_raw_sql(pg_app):
    audit.record(Actor.system(), "thing.do", "thing", "1")
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_entries SET action = 'forged'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_entries"))
    db.session.rollback()


def test_creation_snapshots_are_complete(app, factories):
    from sqlalchemy import select

    factories.user()
    factories.staff("support")
    for action in ("user.register", "staff.create"):
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).one()
        assert entry.after["is_active"] is True, entry.after
