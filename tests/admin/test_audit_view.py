"""The audit log as people read it: actors by name and role, linked; targets linked to
their pages; times to the minute in the reader's time zone; filters by actor, target and
a time range typed in that zone."""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.types import utcnow
from app.core.uow import unit_of_work
from app.extensions import db
from app.staff.models import Staff

ZONE = "Asia/Kolkata"  # +05:30 all year: a filter read as UTC would miss by hours


def _view(bo):
    return next(v for v in bo.client.application.extensions["admin"][0]._views  # noqa: SLF001
                if v.endpoint == "audit_log")


def _flt(view, column: str, operation: str) -> str:
    for index, flt in enumerate(view._filters):  # noqa: SLF001
        if str(flt.name) == column and str(flt.operation()) == operation:
            return f"flt0_{index}"
    raise AssertionError(f"no filter {column} {operation}")


@unit_of_work()
def _rename(staff_id, name: str, zone: str | None = None):
    staff = db.session.get(Staff, staff_id)
    staff.full_name = name
    if zone:
        staff.timezone = zone


def _reader(login_as):
    bo, staff = login_as("admin")
    _rename(staff.id, "Rita Reader", ZONE)
    return bo, staff


def _rows(html: str) -> str:
    return html.split("model-list")[1]


def test_actors_by_name_and_role_targets_linked_times_in_the_readers_zone(login_as, factories):
    customer = factories.user(full_name="Carla <b>Customer</b>")
    support, sam = login_as("support")
    _rename(sam.id, "Sam Support")
    support.post(f"/admin/customers/account-action/",
                 {"id": str(customer.id), "act": "password_reset"},
                 token_from=f"/admin/customers/details/?id={customer.id}")
    bo, _ = _reader(login_as)
    html = _rows(bo.get("/admin/audit/").get_data(as_text=True))

    assert f'<a href="/admin/staff/details/?id={sam.id}">Sam Support (support)</a>' in html
    assert f"staff:{sam.id}" not in html
    # The customer's name is escaped wherever it shows.
    assert f'<a href="/admin/customers/details/?id={customer.id}">user {str(customer.id)[:8]}</a>' in html
    assert "<b>Customer</b>" not in html
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.actor_id == sam.id, AuditEntry.target_id == str(customer.id))).all()
    local = entry.occurred_at.astimezone(ZoneInfo(ZONE))
    assert f"{local:%Y-%m-%d %H:%M} {ZONE}" in html
    assert f"{entry.occurred_at:%Y-%m-%d %H:%M:%S}" not in html

    # The entry's page, and the staff page it links to (without secrets).
    detail = bo.get(f"/admin/audit/details/?id={entry.id}").get_data(as_text=True)
    assert "Sam Support (support)" in detail and f"{local:%Y-%m-%d %H:%M} {ZONE}" in detail
    staff_page = bo.get(f"/admin/staff/details/?id={sam.id}").get_data(as_text=True)
    assert "Sam Support" in staff_page and "argon2" not in staff_page

    # The export names actors too (and keeps the ids and UTC times for machines).
    rows = list(csv.DictReader(io.StringIO(bo.get(
        f"/admin/audit/export/csv/?{_flt(_view(bo), 'Actor', 'contains')}=Sam").get_data(as_text=True))))
    assert rows and {r["Actor"] for r in rows} == {"Sam Support (support)"}
    assert all(r["Actor Id"] == str(sam.id) for r in rows)


def test_filters_by_actor_target_and_time_range_in_the_readers_zone(login_as, factories):
    customer = factories.user(email_addr="carla@example.com")
    other = factories.user(email_addr="otto@example.com")
    support, sam = login_as("support")
    _rename(sam.id, "Sam Support")
    bo, rita = _reader(login_as)
    view = _view(bo)

    def actions(query: str) -> str:
        return _rows(bo.get(f"/admin/audit/?{query}").get_data(as_text=True))

    by_name = actions(f"{_flt(view, 'Actor', 'contains')}=sam+supp")
    assert "Sam Support (support)" in by_name and "Rita Reader" not in by_name
    by_id = actions(f"{_flt(view, 'Actor', 'contains')}={sam.id}")
    assert "staff.login" in by_id and "Rita Reader" not in by_id
    # A customer's own actions, found by their email.
    by_email = actions(f"{_flt(view, 'Actor', 'contains')}=carla%40example")
    assert "user.register" in by_email and str(other.id)[:8] not in by_email

    target = actions(f"{_flt(view, 'Target kind', 'equals')}=user&"
                     f"{_flt(view, 'Target id', 'equals')}={customer.id}")
    assert str(customer.id)[:8] in target and str(other.id)[:8] not in target

    now = utcnow().astimezone(ZoneInfo(ZONE))
    between = _flt(view, "When", "between")
    local_range = f"{now - timedelta(minutes=10):%Y-%m-%d %H:%M:%S} to {now + timedelta(minutes=10):%Y-%m-%d %H:%M:%S}"
    assert "user.register" in actions(f"{between}={quote(local_range)}")
    # The same wall-clock times read as UTC would be 5h30 later: nothing then.
    utc_now = utcnow()
    utc_range = f"{utc_now - timedelta(minutes=10):%Y-%m-%d %H:%M:%S} to {utc_now + timedelta(minutes=10):%Y-%m-%d %H:%M:%S}"
    assert "user.register" not in actions(f"{between}={quote(utc_range)}")
