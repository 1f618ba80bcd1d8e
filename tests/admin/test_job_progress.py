"""Long jobs tell the dashboard how far they are ("job_progress" over Socket.IO, staff
only): the ZIP of invoice PDFs as it goes, the audit archive when it starts and after its
commit; a broadcast that fails never fails the job."""
from __future__ import annotations

import datetime as dt

import pytest

from app.audit import service as audit
from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.extensions import db
from app.invoices import exports, service
from app.live import NAMESPACE, socketio_for
from jobs import periodic
from tests.invoice_support import FINANCE, draft_with_lines, rates


@unit_of_work()
def _issued():
    invoice = draft_with_lines(("Item", 1, 500, "standard"), currency="GBP")
    return service.finalise(invoice.id, actor=FINANCE)


def _staff_socket(app, login_as):
    bo, _ = login_as("finance")
    socket = socketio_for(app).test_client(app, namespace=NAMESPACE, flask_test_client=bo.client)
    assert socket.is_connected(NAMESPACE)
    socket.get_received(NAMESPACE)
    return socket


def _progress(socket) -> list[dict]:
    return [r["args"][0] for r in socket.get_received(NAMESPACE) if r["name"] == "job_progress"]


def test_zip_export_progress_reaches_staff_as_it_goes(app, login_as, monkeypatch):
    rates()
    monkeypatch.setitem(app.config, "EXPORT_PROGRESS_EVERY", 2)
    socket = _staff_socket(app, login_as)
    issued = [_issued() for _ in range(5)]
    with unit_of_work():
        export = exports.request_zip([i.id for i in issued], actor=FINANCE)
    # The job ran inline after the commit (embedded default).
    seen = _progress(socket)
    assert [(m["status"], m["done"]) for m in seen] == [
        ("running", 0), ("running", 2), ("running", 4), ("done", 5)]
    assert {m["job"] for m in seen} == {"invoice_zip"}
    assert {m["id"] for m in seen} == {str(export.id)}
    assert seen[1]["text"] == "ZIP of invoice PDFs: 2 of 5" and seen[1]["total"] == 5
    assert seen[-1]["text"] == "ZIP of invoice PDFs: ready (5)"
    assert seen[-1]["url"] == f"/admin/invoice-exports/{export.id}/"
    socket.disconnect(NAMESPACE)


def test_audit_archive_job_says_when_it_starts_and_what_it_archived(app, login_as, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_DIR", str(tmp_path / "archive"))
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_STORAGE", "local")
    monkeypatch.setitem(app.config, "AUDIT_ARCHIVE_DAYS", 1)
    socket = _staff_socket(app, login_as)

    assert periodic.archive_audit() is None  # everything is younger than a day
    assert [(m["status"], m["text"]) for m in _progress(socket)] == [
        ("running", "Audit archive: looking for entries to archive"),
        ("done", "Audit archive: nothing old enough to archive")]

    for i in range(3):
        audit.record(Actor.system(), "thing.do", "thing", str(i))
    db.session.commit()
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    monkeypatch.setattr("app.audit.archive.utcnow", lambda: later)
    name = periodic.archive_audit()
    done = _progress(socket)[-1]
    assert name and done["status"] == "done" and done["job"] == "audit_archive"
    assert done["text"].startswith("Audit archive: ") and name in done["text"]
    assert done["done"] == done["total"] >= 3
    socket.disconnect(NAMESPACE)


def test_a_failed_broadcast_never_fails_the_job(app, monkeypatch):
    rates()

    def down(event, data):
        raise ConnectionError("message queue down")

    monkeypatch.setattr("app.live.emit_to_staff", down)
    issued = [_issued() for _ in range(2)]
    with unit_of_work():
        export = exports.request_zip([i.id for i in issued], actor=FINANCE)
    assert exports.get_export(export.id).status == "done"


def test_a_failing_archive_is_announced_as_failed(app, login_as, monkeypatch):
    socket = _staff_socket(app, login_as)

    def broken(*args, **kwargs):
        raise RuntimeError("storage unreachable")

    monkeypatch.setattr("app.audit.archive.archive_old", broken)
    with pytest.raises(RuntimeError):
        periodic.archive_audit()
    assert [m["status"] for m in _progress(socket)] == ["running", "failed"]
    socket.disconnect(NAMESPACE)
