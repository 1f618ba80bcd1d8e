"""The audit log in the back office: every role reads it, nobody changes it."""
import csv
import io

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db


def _entry():
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.occurred_at)).first()


def test_finance_reads_newest_first(login_as, factories):
    factories.user(email_addr="first.customer@example.com")
    factories.user(email_addr="second.customer@example.com")
    bo, _ = login_as("finance")
    html = bo.get("/admin/audit/").get_data(as_text=True)
    # the finance member's own login is the newest entry
    assert html.index("staff.login") < html.index("user.register")
    assert html.index("second.customer") < html.index("first.customer")


def test_entries_cannot_be_changed_even_by_admin(login_as, factories):
    factories.user()
    bo, _ = login_as("admin")
    entry = _entry()
    assert bo.get(f"/admin/audit/edit/?id={entry.id}").status_code in (403, 404, 405)
    assert bo.get("/admin/audit/new/").status_code in (403, 404, 405)
    resp = bo.post("/admin/audit/delete/", {"id": str(entry.id)}, token_from="/admin/audit/")
    assert resp.status_code in (403, 404, 405)
    resp = bo.post(f"/admin/audit/edit/?id={entry.id}", {"action": "forged"},
                   token_from="/admin/audit/")
    assert resp.status_code in (403, 404, 405)
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).action == entry.action
    assert bo.get(f"/admin/audit/details/?id={entry.id}").status_code == 200


def test_filters_and_search(login_as, factories):
    user = factories.user()
    bo, staff = login_as("support")
    audit_view = next(v for v in bo.client.application.extensions["admin"][0]._views  # noqa: SLF001
                      if v.endpoint == "audit_log")

    html = bo.get("/admin/audit/?search=user.register").get_data(as_text=True)
    assert str(user.id) in html and "staff.login" not in html

    flt = _filter_arg(audit_view, "Actor", "contains")
    html = bo.get(f"/admin/audit/?{flt}={staff.email}").get_data(as_text=True)
    assert "staff.login" in html and "user.register" not in html

    flt = _filter_arg(audit_view, "When", "greater than")
    html = bo.get(f"/admin/audit/?{flt}=2999-01-01+00:00:00").get_data(as_text=True)
    assert "user.register" not in html and "staff.login" not in html
    html = bo.get(f"/admin/audit/?{flt}=2000-01-01+00:00:00").get_data(as_text=True)
    assert "user.register" in html


def _filter_arg(view, column: str, operation: str) -> str:
    for index, flt in enumerate(view._filters):  # noqa: SLF001
        if str(flt.name) == column and str(flt.operation()) == operation:
            return f"flt0_{index}"
    raise AssertionError(f"no filter {column} {operation}")


def test_csv_export(login_as, factories):
    user = factories.user()
    bo, _ = login_as("finance")
    resp = bo.get("/admin/audit/export/csv/")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    register = next(r for r in rows if r["Action"] == "user.register")
    assert register["Target Id"] == str(user.id)
    assert user.email in register["After"]
