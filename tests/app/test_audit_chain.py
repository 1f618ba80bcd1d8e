"""The audit log proves itself: a hash chain `flask audit verify` checks, and archives
that come back identical or not at all."""
from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import threading

import pytest
from sqlalchemy import select, text

from app.audit import archive as archives, chain, service as audit
from app.audit.models import AuditArchive, AuditEntry
from app.core.actor import Actor
from app.extensions import db


def _record(n: int, prefix: str = "thing") -> None:
    for i in range(n):
        audit.record(Actor.system(), f"{prefix}.do", "thing", str(i),
                     before={"n": i}, after={"n": i + 1, "name": "Zoë <b>"})
    db.session.commit()


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()


def _snapshot():
    return [dict(chain.canonical(e.__dict__), prev_hash=e.prev_hash, hash=e.hash)
            for e in _rows()]


@contextlib.contextmanager
def _around_the_app():
    """SQL as someone with database access would run it: past the ORM and, on
    PostgreSQL, with the append-only trigger switched off by the table's owner."""
    with db.engine.begin() as conn:
        pg = conn.dialect.name == "postgresql"
        if pg:
            conn.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change"))
        yield conn
        if pg:
            conn.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change"))


def _verify():
    with db.engine.connect() as conn:
        return chain.verify(conn)


def test_entries_are_chained_in_commit_order(app):
    _record(3)
    rows = _rows()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == chain.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    verdict = _verify()
    assert verdict.ok and verdict.checked == 3, verdict.describe()


def test_rolled_back_entries_leave_no_gap(app):
    _record(1)
    audit.record(Actor.system(), "thing.undone", "thing", "x")
    db.session.flush()
    db.session.rollback()
    _record(1)
    assert [r.seq for r in _rows()] == [1, 2]
    assert _verify().ok


def test_a_failure_entry_in_its_own_transaction_is_chained(app):
    _record(1)
    audit.record_failure(Actor.anonymous(), "staff.login_failed", "staff", None,
                         after={"email": "a@example.com"})
    rows = _rows()
    assert rows[-1].action == "staff.login_failed" and rows[-1].seq == 2
    assert _verify().ok


def test_verify_names_a_changed_entry(app, runner):
    _record(4)
    victim = _rows()[1]
    with _around_the_app() as conn:
        conn.execute(text("UPDATE audit_entries SET actor_label = 'someone else' WHERE seq = 2"))
    verdict = _verify()
    assert not verdict.ok
    assert (verdict.broken_id, verdict.broken_seq) == (str(victim.id), 2)
    assert "changed" in verdict.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert str(victim.id) in result.output and "BROKEN" in result.output


def test_verify_names_the_entry_after_a_deleted_one(app):
    _record(4)
    after_gap = _rows()[2]
    with _around_the_app() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
    verdict = _verify()
    assert not verdict.ok
    assert verdict.broken_id == str(after_gap.id)
    assert "removed" in verdict.reason


def test_verify_notices_the_latest_entry_deleted(app):
    _record(3)
    with _around_the_app() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 3"))
    verdict = _verify()
    assert not verdict.ok and verdict.broken_seq == 3
    assert "head" in verdict.reason


def _insert(conn, **chain_columns):
    import uuid

    conn.execute(AuditEntry.__table__.insert().values(
        id=uuid.uuid4(), occurred_at=dt.datetime.now(dt.timezone.utc), actor_kind="staff",
        actor_label="forger", action="staff.create", target_type="staff", target_id="1",
        **chain_columns))


def test_verify_names_an_entry_inserted_around_the_chain(app):
    _record(2)
    with _around_the_app() as conn:
        _insert(conn)
    verdict = _verify()
    assert not verdict.ok and "inserted" in verdict.reason
    forged = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_label == "forger")).one()
    assert verdict.broken_id == str(forged.id)


def test_verify_names_an_entry_inserted_into_the_chain_with_a_made_up_hash(app):
    _record(2)
    last = _rows()[-1]
    with _around_the_app() as conn:
        _insert(conn, seq=3, prev_hash=last.hash, hash="f" * 64)
    verdict = _verify()
    assert not verdict.ok and verdict.broken_seq == 3 and "changed" in verdict.reason


def test_concurrent_writers_make_one_unbroken_chain(pg_app):
    _record(1)  # the head row exists before the race
    app = pg_app
    errors = []

    def writer(k):
        try:
            with app.app_context():
                for i in range(5):
                    audit.record(Actor.system(f"w{k}"), "thing.race", "thing", f"{k}-{i}")
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # reported below, with the thread's name
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [r.seq for r in _rows()] == list(range(1, 32))
    assert _verify().ok


def _archive_all(app, tmp_path, monkeypatch):
    if app.config["AUDIT_ARCHIVE_STORAGE"] == "local":
        monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_DIR", str(tmp_path / "archive"))
    record = archives.archive_old(days=1, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2))
    db.session.commit()
    return record


@pytest.mark.parametrize("storage", ["local", "azure"])
def test_archive_then_restore_gives_back_identical_entries(app, storage, request, tmp_path,
                                                           monkeypatch, runner):
    if storage == "azure":
        request.getfixturevalue("azurite")
    _record(5)
    before = _snapshot()
    record = _archive_all(app, tmp_path, monkeypatch)
    assert record.entries == 5 and (record.first_seq, record.last_seq) == (1, 5)
    left = _rows()
    assert [e.action for e in left] == ["audit.archive"] and left[0].seq == 6
    assert _verify().ok, _verify().describe()
    from app.audit.storage import archive_storage

    data = archive_storage().get(record.name)
    assert len(gzip.decompress(data).splitlines()) == 5

    result = runner.invoke(args=["audit", "restore", record.name])
    assert result.exit_code == 0, result.output
    rows = _snapshot()
    assert rows[:5] == before
    assert [r["action"] for r in rows[5:]] == ["audit.archive", "audit.restore"]
    assert _verify().ok, _verify().describe()
    again = runner.invoke(args=["audit", "restore", record.name])
    assert again.exit_code != 0 and "already restored" in again.output


def test_verify_walks_over_archived_stretches_and_still_catches_changes(app, tmp_path, monkeypatch):
    _record(3)
    _archive_all(app, tmp_path, monkeypatch)
    _record(2, "later")
    assert _verify().ok
    with _around_the_app() as conn:
        conn.execute(text("UPDATE audit_entries SET action = 'x' WHERE seq = 5"))
    assert _verify().broken_seq == 5


def test_a_tampered_archive_is_refused_and_the_refusal_audited(app, tmp_path, monkeypatch,
                                                              runner):
    _record(3)
    record = _archive_all(app, tmp_path, monkeypatch)
    path = tmp_path / "archive" / record.name
    lines = gzip.decompress(path.read_bytes()).decode().replace("Zo\u00eb", "Zoe")
    path.write_bytes(gzip.compress(lines.encode()))
    count = db.session.scalar(select(db.func.count()).select_from(AuditEntry))

    result = runner.invoke(args=["audit", "restore", record.name])
    assert result.exit_code != 0 and "differs" in result.output
    rows = _rows()
    assert len(rows) == count + 1  # nothing restored, one refusal recorded
    assert rows[-1].action == "audit.restore_refused"
    assert "sha256" in rows[-1].after["reason"]
    assert db.session.get(AuditArchive, record.id).restored_at is None
    assert _verify().ok


def test_an_archive_whose_record_and_file_both_changed_is_refused_by_its_hashes(app, tmp_path,
                                                                            monkeypatch):
    import hashlib

    _record(3)
    record = _archive_all(app, tmp_path, monkeypatch)
    path = tmp_path / "archive" / record.name
    forged = gzip.compress(gzip.decompress(path.read_bytes()).replace(b"thing.do", b"thing.no"))
    path.write_bytes(forged)
    # Someone with database access also updated the recorded file checksum.
    db.session.get(AuditArchive, record.id).sha256 = hashlib.sha256(forged).hexdigest()
    db.session.commit()
    with pytest.raises(archives.ArchiveRefused, match="changed"):
        archives.restore(record.name, Actor.system("test"))
    assert _rows()[-1].action == "audit.restore_refused"


def test_restore_refuses_a_name_that_is_not_an_archive(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_DIR", str(tmp_path / "archive"))
    with pytest.raises(archives.ArchiveRefused):
        archives.restore("../../etc/passwd", Actor.system("test"))
    assert _rows()[-1].action == "audit.restore_refused"


def test_archive_refuses_a_broken_chain(app, tmp_path, monkeypatch):
    _record(3)
    with _around_the_app() as conn:
        conn.execute(text("UPDATE audit_entries SET action = 'x' WHERE seq = 2"))
    from app.core.errors import Conflict

    with pytest.raises(Conflict, match="broken"):
        _archive_all(app, tmp_path, monkeypatch)
    db.session.rollback()
    assert len(_rows()) == 3


def test_postgres_lets_only_the_archive_transaction_delete(pg_app):
    from sqlalchemy.exc import DBAPIError

    _record(1)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_entries SET seq = 7"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_entries"))
    db.session.rollback()


def test_the_migration_chains_existing_entries_in_time_order(tmp_path):
    import uuid

    from flask_migrate import downgrade, upgrade

    from tests.conftest import own_app

    with own_app(tmp_path) as app:
        downgrade(revision="0015_paypal_reconciliation")
        start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        with db.engine.begin() as conn:
            for i in (2, 0, 1):  # inserted out of order: chained by occurred_at
                conn.execute(text(
                    "INSERT INTO audit_entries (id, occurred_at, actor_kind, actor_label, action,"
                    " target_type, target_id, after) VALUES (:id, :at, 'system', 'system',"
                    " 'old.thing', 'thing', :t, :after)"),
                    {"id": uuid.uuid4().hex, "at": (start + dt.timedelta(minutes=i)).isoformat(),
                     "t": str(i), "after": '{"i": %d}' % i})
        upgrade()
        db.session.remove()
        rows = _rows()
        assert [(r.seq, r.target_id) for r in rows] == [(1, "0"), (2, "1"), (3, "2")]
        assert _verify().ok
        audit.record(Actor.system(), "new.thing", "thing", "3")
        db.session.commit()
        assert _rows()[-1].seq == 4 and _verify().ok
