"""Find anything: the global search page and the lists' search boxes, exports of the
filtered orders and customers (what a role may see; formulas neutralised)."""
import csv
import io
from datetime import timedelta

from app.core.clock import business_date
from tests import reporting_support as rs

EVIL = "<script>alert(1)</script>"


def _people(app, factories):
    alice = factories.user(email_addr="alice.martin@example.com", full_name="Alice Martin")
    bob = factories.user(email_addr="bob_okafor@example.com", full_name="=HYPERLINK(\"x\")")
    with app.app_context():
        today = business_date()
        a1 = rs.sale(alice, net=10280, when=rs.at(today))
        a2 = rs.sale(alice, net=5000, when=rs.at(today - timedelta(days=1)))
        b1 = rs.sale(bob, net=777, when=rs.at(today))
        inv = rs.open_invoice(alice, total=10280, due=today, number="INV-2026-004242")
        return alice, bob, a1.number, a2.number, b1.number, inv.id


def _section(html, kind):
    if f'id="results-{kind}"' not in html:
        return ""
    return html.split(f'id="results-{kind}"')[1].split("</section>")[0]


def test_global_search_by_number_email_amount_invoice(app, login_as, factories):
    alice, bob, n1, n2, n3, inv_id = _people(app, factories)
    bo, _ = login_as("finance")
    html = bo.get(f"/admin/search/?q=%23{n1}").get_data(as_text=True)
    orders = _section(html, "orders")
    assert f"#{n1}" in orders and f"#{n2}" not in orders
    html = bo.get(f"/admin/search/?q={n2}").get_data(as_text=True)
    assert f"#{n2}" in _section(html, "orders")
    html = bo.get("/admin/search/?q=alice.martin@example").get_data(as_text=True)
    assert "alice.martin@example.com" in _section(html, "customers")
    assert f"#{n1}" in _section(html, "orders") and f"#{n3}" not in _section(html, "orders")
    assert f'href="/admin/customers/details/?id={alice.id}"' in html
    html = bo.get("/admin/search/?q=102.80").get_data(as_text=True)
    assert f"#{n1}" in _section(html, "orders") and f"#{n2}" not in _section(html, "orders")
    assert "INV-2026-004242" in _section(html, "invoices")
    html = bo.get("/admin/search/?q=INV-2026-0042").get_data(as_text=True)
    assert f"/admin/invoices/details/?id={inv_id}" in _section(html, "invoices")


def test_search_text_is_literal_and_escaped(app, login_as, factories):
    _people(app, factories)
    bo, _ = login_as("support")
    # % and _ match themselves: "a_m" would match "alice.martin" as a wildcard.
    html = bo.get("/admin/search/?q=%25").get_data(as_text=True)
    assert 'id="search-empty"' in html
    html = bo.get("/admin/search/?q=a_m").get_data(as_text=True)
    assert 'id="search-empty"' in html
    html = bo.get("/admin/search/?q=bob_").get_data(as_text=True)
    assert "bob_okafor@example.com" in html
    resp = bo.get("/admin/search/?q=' OR 1=1 --")
    assert resp.status_code == 200 and 'id="search-empty"' in resp.get_data(as_text=True)
    html = bo.get(f"/admin/search/?q={EVIL}").get_data(as_text=True)
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Support does not see invoices.
    html = bo.get("/admin/search/?q=INV-2026").get_data(as_text=True)
    assert 'id="results-invoices"' not in html


def test_orders_list_search_box(app, login_as, factories):
    alice, bob, n1, n2, n3, _ = _people(app, factories)
    bo, _ = login_as("support")
    html = bo.get(f"/admin/orders/?search=%23{n3}").get_data(as_text=True)
    assert f"#{n3}" in html and f"#{n1}<" not in html
    html = bo.get("/admin/orders/?search=alice.martin").get_data(as_text=True)
    assert f"#{n1}" in html and f"#{n2}" in html and f"#{n3}<" not in html
    assert 'name="search"' in html
    html = bo.get("/admin/payments/?search=alice.martin").get_data(as_text=True)
    assert 'name="search"' in html


def _csv(resp):
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


def test_orders_export_filtered_and_by_role(app, login_as, factories):
    alice, bob, n1, n2, n3, _ = _people(app, factories)
    finance, _ = login_as("finance")
    rows = _csv(finance.get("/admin/orders/export/csv/?search=alice.martin"))
    header = rows[0]
    assert "Total" in header and "Currency" in header
    assert sorted(r[0] for r in rows[1:]) == sorted([f"#{n1}", f"#{n2}"])
    total = header.index("Total")
    assert {r[total] for r in rows[1:]} == {"102.80", "50.00"}
    support, _ = login_as("support")
    rows = _csv(support.get("/admin/orders/export/csv/"))
    assert len(rows) == 4
    assert not {"Total", "Subtotal", "Currency", "Tax"} & set(rows[0])


def test_customers_export_neutralises_formulas(app, login_as, factories):
    _people(app, factories)
    bo, _ = login_as("support")
    rows = _csv(bo.get("/admin/customers/export/csv/"))
    names = [r[rows[0].index("Full Name")] for r in rows[1:]]
    assert "'=HYPERLINK(\"x\")" in names and "Alice Martin" in names
    assert "Password Hash" not in rows[0]
