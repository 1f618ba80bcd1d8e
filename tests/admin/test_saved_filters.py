"""Saved filters: a staff member names a list's current search and filters, finds them on
the list page and re-applies them; they are theirs alone, bounded and audited."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.staff.models import SavedFilter
from tests.admin.test_search import _people

ORDERS = "/admin/orders/"


def _saved(bo, url: str, query: str, name: str):
    return bo.post(f"{url}saved-filters/", {"name": name, "query": query},
                   token_from=f"{url}?{query}")


def _links(html: str) -> dict[str, str]:
    return {name: href for href, name in re.findall(
        r'<a class="btn btn-outline-primary" href="([^"]+)"\s+title="[^"]*">([^<]+)</a>', html)}


def test_save_list_and_reapply(app, login_as, factories):
    _alice, _bob, n1, n2, n3, _ = _people(app, factories)
    bo, staff = login_as("support")
    html = bo.get(ORDERS).get_data(as_text=True)
    assert 'id="save-filter-form"' in html and 'id="no-saved-filters"' in html

    query = "search=alice.martin&page=3&sort=1&desc=1"
    resp = _saved(bo, ORDERS, query, "  Alice's   orders ")
    assert resp.status_code == 302
    # Back to the list with the filters (the page number is not part of a selection).
    assert resp.location == f"{ORDERS}?search=alice.martin&sort=1&desc=1"
    [row] = db.session.scalars(select(SavedFilter)).all()
    assert (row.staff_id, row.list_name, row.name) == (staff.id, "bo_orders", "Alice's orders")

    html = bo.get(ORDERS).get_data(as_text=True)
    links = _links(html)
    assert list(links) == ["Alice&#39;s orders"]
    applied = bo.get(links["Alice&#39;s orders"])
    assert applied.status_code == 302 and applied.location == resp.location
    html = bo.get(applied.location).get_data(as_text=True)
    assert f"#{n1}" in html and f"#{n3}<" not in html

    # The same name again replaces the filters rather than adding a second entry.
    _saved(bo, ORDERS, "search=bob", "Alice's orders")
    [row] = db.session.scalars(select(SavedFilter)).all()
    assert row.query == "search=bob"
    actions = [e.action for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "saved_filter")
        .order_by(AuditEntry.occurred_at))]
    assert actions == ["saved_filter.save", "saved_filter.save"]

    # Other lists have their own.
    assert _links(bo.get("/admin/payments/").get_data(as_text=True)) == {}

    row_id = row.id
    resp = bo.post(f"{ORDERS}saved-filters/{row_id}/delete", token_from=ORDERS)
    assert resp.status_code == 302 and not db.session.scalars(select(SavedFilter)).all()
    assert bo.get(f"{ORDERS}saved-filters/{row_id}/").status_code == 404


def test_saved_filters_are_their_owners_alone(app, login_as):
    mine, _ = login_as("support")
    other, _ = login_as("admin")
    _saved(mine, ORDERS, "search=secret", "Mine")
    [row] = db.session.scalars(select(SavedFilter)).all()
    assert _links(other.get(ORDERS).get_data(as_text=True)) == {}
    assert other.get(f"{ORDERS}saved-filters/{row.id}/").status_code == 404
    # Not on another list's URL either, even one the owner may read.
    assert mine.get(f"/admin/payments/saved-filters/{row.id}/").status_code == 404
    resp = other.post(f"{ORDERS}saved-filters/{row.id}/delete", token_from=ORDERS)
    assert resp.status_code == 302
    assert db.session.scalars(select(SavedFilter)).all() == [row]
    assert other.get("/admin/orders/saved-filters/not-a-uuid/").status_code == 404


def test_bad_names_and_queries_are_refused_with_nothing_saved(app, login_as):
    bo, _ = login_as("admin")
    for name, query in (("", "search=x"), ("x" * 81, "search=x"), ("bad\x00name", "search=x"),
                        ("ok", "search=" + "y" * 2100), ("ok", "search=%00")):
        resp = _saved(bo, ORDERS, query, name)
        assert resp.status_code == 302
    assert db.session.scalars(select(SavedFilter)).all() == []
    html = bo.get(ORDERS).get_data(as_text=True)
    assert "Filters not saved" in html


def test_a_control_character_in_a_list_search_matches_nothing(app, login_as, factories):
    _people(app, factories)
    bo, _ = login_as("admin")
    # PostgreSQL refuses NUL in a parameter: the search must not reach it (no 500).
    for url in (ORDERS, "/admin/customers/", "/admin/payments/", "/admin/audit/"):
        resp = bo.get(f"{url}?search=alice%00")
        assert resp.status_code == 200, url
    assert bo.get(f"{ORDERS}export/csv/?search=%00").get_data(as_text=True).count("\n") == 1


def test_a_saved_filter_only_ever_leads_back_to_its_list(app, login_as):
    bo, _ = login_as("admin")
    # Whatever is posted is kept as a query string of this list, never a place to go.
    resp = _saved(bo, ORDERS, "//evil.example/?a=1&next=https://evil.example", "Odd")
    assert resp.location.startswith(f"{ORDERS}?")
    [row] = db.session.scalars(select(SavedFilter)).all()
    assert bo.get(f"{ORDERS}saved-filters/{row.id}/").location.startswith(f"{ORDERS}?")


def test_a_role_that_may_not_read_the_list_cannot_save_on_it(app, login_as):
    bo, _ = login_as("support")
    resp = bo.post("/admin/staff/saved-filters/", {"name": "x", "query": "search=a"},
                   token_from=ORDERS)
    assert resp.status_code == 403
    assert db.session.scalars(select(SavedFilter)).all() == []
