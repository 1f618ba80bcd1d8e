"""Products in the back office: every change goes through app.catalog.service."""
import csv
import io
import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.catalog.models import Product
from app.extensions import db

LIST = "/admin/products/"
ALL = {"admin", "finance", "support"}
PAGES = {
    LIST: ALL,
    f"{LIST}export/csv/": ALL,
    f"{LIST}new/": {"admin"},
    f"{LIST}import/": {"admin"},
}
EDITABLE_CSRF = re.compile(r'data-csrf="([^"]+)"')


def _product(pid) -> Product:
    db.session.expire_all()
    return db.session.get(Product, pid)


def _audit(action, target_id=None):
    stmt = select(AuditEntry).where(AuditEntry.action == action)
    if target_id is not None:
        stmt = stmt.where(AuditEntry.target_id == str(target_id))
    return db.session.scalars(stmt).all()


def _product_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Product))


def _filter_arg(bo, column: str, operation: str) -> str:
    view = next(v for v in bo.client.application.extensions["admin"][0]._views  # noqa: SLF001
                if v.endpoint == "bo_products")
    for index, flt in enumerate(view._filters):  # noqa: SLF001
        if str(flt.name) == column and str(flt.operation()) == operation:
            return f"flt0_{index}"
    raise AssertionError(f"no filter {column} {operation}")


# -- access ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", sorted(PAGES))
def test_anonymous_is_sent_to_login(client, url):
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp.location.startswith("/admin/login?next=")


@pytest.mark.parametrize("role", sorted(ALL))
def test_role_matrix(login_as, factories, role):
    p = factories.product()
    bo, _ = login_as(role)
    for url, allowed in {**PAGES, f"{LIST}edit/?id={p.id}": {"admin"},
                         f"{LIST}details/?id={p.id}": ALL}.items():
        status = bo.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)


@pytest.mark.parametrize("role", ["support", "finance"])
def test_readers_cannot_write(login_as, factories, role):
    p = factories.product(stock_on_hand=3)
    bo, _ = login_as(role)
    html = bo.get(LIST).get_data(as_text=True)
    assert "Import CSV" not in html and "data-csrf" not in html  # no inline editor
    resp = bo.post(f"{LIST}ajax/update/", {"list_form_pk": str(p.id), "stock_on_hand": "99"},
                   token_from=LIST)
    assert resp.status_code == 403
    assert bo.action(LIST, "deactivate", [p.id]).status_code == 403
    assert bo.post(f"{LIST}import/", {}, token_from=LIST).status_code == 403
    after = _product(p.id)
    assert after.stock_on_hand == 3 and after.active


def test_no_delete(login_as, factories):
    p = factories.product()
    bo, _ = login_as("admin")
    resp = bo.post(f"{LIST}delete/", {"id": str(p.id)}, token_from=LIST)
    assert resp.status_code == 403
    assert _product(p.id) is not None


# -- list -------------------------------------------------------------------------------------

def test_list_shows_exact_prices_search_and_filters(login_as, factories):
    cat = factories.category("Lamps")
    factories.product(sku="LAMP-1", name="Desk lamp", price_amount=1999, category=cat,
                      stock_on_hand=0)
    factories.product(sku="MUG-1", name="Coffee mug", price_amount=450, stock_on_hand=3)
    factories.product(sku="JP-1", name="Tea bowl", price_amount=1500, currency="JPY",
                      stock_on_hand=50)
    bo, _ = login_as("support")

    html = bo.get(LIST).get_data(as_text=True)
    assert "19.99 EUR" in html and "4.50 EUR" in html and "1,500 JPY" in html

    html = bo.get(f"{LIST}?search=lamp").get_data(as_text=True)
    assert "LAMP-1" in html and "MUG-1" not in html

    def skus(query):
        page = bo.get(f"{LIST}?{query}").get_data(as_text=True)
        return {s for s in ("LAMP-1", "MUG-1", "JP-1") if s in page}

    # 15 in major units: 15.00 EUR, and 15 JPY, each in its own currency
    assert skus(f"{_filter_arg(bo, 'Price', 'at least')}=15") == {"LAMP-1", "JP-1"}
    assert skus(f"{_filter_arg(bo, 'Price', 'at most')}=4.50") == {"MUG-1"}
    assert skus(f"{_filter_arg(bo, 'Stock level', 'is')}=out") == {"LAMP-1"}
    assert skus(f"{_filter_arg(bo, 'Stock level', 'is')}=low") == {"MUG-1"}
    assert skus(f"{_filter_arg(bo, 'Category', 'equals')}={cat.id}") == {"LAMP-1"}
    assert skus(f"{_filter_arg(bo, 'Currency', 'equals')}=JPY") == {"JP-1"}


def test_active_filter(login_as, factories):
    factories.product(sku="ON-1")
    factories.product(sku="OFF-1", active=False)
    bo, _ = login_as("admin")
    flt = _filter_arg(bo, "Active", "equals")
    html = bo.get(f"{LIST}?{flt}=0").get_data(as_text=True)
    assert "OFF-1" in html and "ON-1" not in html


# -- inline stock edit --------------------------------------------------------------------

def test_inline_stock_edit_goes_through_the_service(login_as, factories):
    p = factories.product(stock_on_hand=4)
    bo, admin = login_as("admin")
    html = bo.get(LIST).get_data(as_text=True)
    token = EDITABLE_CSRF.search(html).group(1)

    resp = bo.client.post(f"{LIST}ajax/update/", data={
        "list_form_pk": str(p.id), "stock_on_hand": "42", "csrf_token": token})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert _product(p.id).stock_on_hand == 42
    entry, = _audit("product.set_stock", p.id)
    assert entry.actor_id == admin.id
    assert entry.before == {"stock_on_hand": 4} and entry.after == {"stock_on_hand": 42}


def test_inline_stock_edit_refuses_bad_values(login_as, factories):
    p = factories.product(stock_on_hand=4)
    bo, _ = login_as("admin")
    token = EDITABLE_CSRF.search(bo.get(LIST).get_data(as_text=True)).group(1)
    for value in ("-1", "abc", "1000000000"):
        resp = bo.client.post(f"{LIST}ajax/update/", data={
            "list_form_pk": str(p.id), "stock_on_hand": value, "csrf_token": token})
        assert resp.status_code == 500, value  # x-editable shows the message
        assert "Failed to update record" in resp.get_data(as_text=True)
    assert _product(p.id).stock_on_hand == 4
    assert not _audit("product.set_stock", p.id)


def test_posts_without_csrf_token_are_refused(login_as, factories):
    p = factories.product(stock_on_hand=4)
    bo, _ = login_as("admin")
    bo.get(LIST)
    resp = bo.client.post(f"{LIST}ajax/update/", data={"list_form_pk": str(p.id),
                                                       "stock_on_hand": "1"})
    assert resp.status_code == 400
    resp = bo.client.post(f"{LIST}action/", data={"action": "deactivate",
                                                  "rowid": [str(p.id)]})
    assert resp.status_code == 400
    resp = bo.client.post(f"{LIST}import/", data={
        "file": (io.BytesIO(b"sku,name,price,currency\nX-1,X,1.00,EUR\n"), "p.csv")},
        content_type="multipart/form-data")
    assert resp.status_code == 400
    after = _product(p.id)
    assert after.stock_on_hand == 4 and after.active
    assert _product_count() == 1


# -- bulk actions -----------------------------------------------------------------------------

def test_bulk_deactivate_and_activate(login_as, factories):
    a, b = factories.product(), factories.product()
    bo, admin = login_as("admin")
    resp = bo.action(LIST, "deactivate", [a.id, b.id])
    assert resp.status_code == 302
    assert not _product(a.id).active and not _product(b.id).active
    entries = _audit("product.deactivate")
    assert {e.target_id for e in entries} == {str(a.id), str(b.id)}
    assert all(e.actor_id == admin.id for e in entries)
    assert "2 product(s) deactivated." in bo.get(LIST).get_data(as_text=True)

    bo.action(LIST, "activate", [a.id])
    assert _product(a.id).active and not _product(b.id).active
    # Deactivated products are gone from the public catalogue.
    assert bo.client.get(f"/api/v1/products/{b.id}").status_code == 404


# -- create / edit ------------------------------------------------------------------------

def _form(**overrides):
    data = {"sku": "NEW-1", "name": "New thing", "description": "", "price": "12.50",
            "currency": "EUR", "tax_category": "standard", "category_ref": "",
            "image_url": "", "active": "y", "stock_on_hand": "7"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_and_edit_through_the_service(login_as, factories):
    cat = factories.category("Kitchen")
    bo, admin = login_as("admin")
    resp = bo.post(f"{LIST}new/", _form(category_ref=str(cat.id)))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    p = db.session.scalars(select(Product).where(Product.sku == "NEW-1")).one()
    assert (p.price_amount, p.currency, p.stock_on_hand, p.category_id) == (1250, "EUR", 7,
                                                                             cat.id)
    assert _audit("product.create", p.id)[0].actor_id == admin.id

    edit = f"{LIST}edit/?id={p.id}"
    page = bo.get(edit).get_data(as_text=True)
    assert 'value="12.50"' in page  # the price is shown in major units
    resp = bo.post(edit, _form(name="Renamed", price="13", category_ref=str(cat.id),
                               stock_on_hand=None))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    p = _product(p.id)
    assert (p.name, p.price_amount, p.stock_on_hand) == ("Renamed", 1300, 7)
    entry, = _audit("product.update", p.id)
    assert entry.after == {"name": "Renamed", "price_amount": 1300}


def test_create_refusals_are_shown_and_write_nothing(login_as, factories):
    factories.product(sku="TAKEN-1")
    bo, _ = login_as("admin")
    resp = bo.post(f"{LIST}new/", _form(price="12.505"))
    assert resp.status_code == 200
    assert "At most 2 decimal place(s) for EUR." in resp.get_data(as_text=True)
    resp = bo.post(f"{LIST}new/", _form(sku="TAKEN-1"))
    assert resp.status_code == 200
    assert "A product with this SKU already exists." in resp.get_data(as_text=True)
    resp = bo.post(f"{LIST}new/", _form(sku="bad sku!"))
    assert "letters, digits" in resp.get_data(as_text=True)
    assert _product_count() == 1


# -- CSV import -------------------------------------------------------------------------------

def _upload(bo, text: str, name="products.csv"):
    return bo.post(f"{LIST}import/", {"file": (io.BytesIO(text.encode()), name)},
                   token_from=f"{LIST}import/", content_type="multipart/form-data")


def test_csv_import_creates_and_updates(login_as, factories):
    existing = factories.product(sku="OLD-1", name="Old name", price_amount=500,
                                 stock_on_hand=2, description="kept")
    bo, admin = login_as("admin")
    resp = _upload(bo, "sku,name,price,currency,stock_on_hand,active\n"
                       "OLD-1,New name,5.10,EUR,,\n"
                       "CSV-1,Imported,19.99,eur,12,true\n"
                       "CSV-2,Yen thing,1500,JPY,0,false\n")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    html = bo.get(LIST).get_data(as_text=True)
    assert "Import done: 2 created, 1 updated, 0 unchanged." in html

    old = _product(existing.id)
    assert (old.name, old.price_amount, old.stock_on_hand, old.description) == \
        ("New name", 510, 2, "kept")  # empty cells keep the current values
    new = {p.sku: p for p in db.session.scalars(select(Product).where(
        Product.sku.in_(["CSV-1", "CSV-2"])))}
    assert (new["CSV-1"].price_amount, new["CSV-1"].currency, new["CSV-1"].stock_on_hand,
            new["CSV-1"].active) == (1999, "EUR", 12, True)
    assert (new["CSV-2"].price_amount, new["CSV-2"].active) == (1500, False)
    entry, = _audit("catalog.bulk_upsert")
    assert entry.actor_id == admin.id and entry.after["created"] == 2


def test_rejected_csv_writes_nothing_and_reports_each_row(login_as, factories):
    existing = factories.product(sku="OLD-1", name="Old name", price_amount=500)
    bo, _ = login_as("admin")
    resp = _upload(bo, "sku,name,price,currency,active,stock_on_hand\n"
                       "OLD-1,Changed,6.00,EUR,true,1\n"     # fine on its own
                       "GOOD-1,Fine,1.00,EUR,,\n"           # fine on its own
                       "BAD-1,Bad price,abc,EUR,,\n"        # line 4
                       "BAD-2,Too precise,1.005,EUR,,\n"    # line 5
                       "BAD-3,Wrong currency,1.00,XXX,,\n"  # line 6
                       "GOOD-1,Duplicate,1.00,EUR,,\n"      # line 7
                       "BAD-4,,1.00,EUR,maybe,-2\n")        # line 8
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "5 of 7 rows are not valid; nothing was written." in html
    errors = re.findall(r'class="bo-import-error" data-line="(\d+)"', html)
    assert sorted(set(map(int, errors))) == [4, 5, 6, 7, 8]
    assert "A decimal number such as 19.99. (got &#39;abc&#39;)" in html
    assert "At most 2 decimal place(s) for EUR." in html
    assert "Unsupported currency" in html
    assert "Duplicate of line 3 in this file." in html
    assert "true or false" in html and "A whole number, 0 or more" in html
    # nothing written: no new product, the existing one untouched, no audit entry
    assert _product_count() == 1
    old = _product(existing.id)
    assert (old.name, old.price_amount) == ("Old name", 500)
    assert not _audit("catalog.bulk_upsert")


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"", "The file is empty"),
    (b"sku,name,price\nA,B,1\n", "missing column(s): currency"),
    (b"sku,name,price,currency,colour\nA,B,1,EUR,red\n", "unknown column(s): colour"),
    (b"sku,name,price,currency\n", "no product rows"),
    (b"sku,name,price,currency\nA,B,1,EUR,extra\n", "more cells than the header"),
])
def test_unreadable_files_are_refused(login_as, content, message):
    bo, _ = login_as("admin")
    resp = bo.post(f"{LIST}import/", {"file": (io.BytesIO(content), "p.csv")},
                   token_from=f"{LIST}import/", content_type="multipart/form-data")
    assert resp.status_code == 200
    assert message in resp.get_data(as_text=True)
    assert _product_count() == 0


# -- CSV export -------------------------------------------------------------------------------

def _export(bo, query=""):
    resp = bo.get(f"{LIST}export/csv/{query}")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))


def test_csv_export_is_filtered_exact_and_reimports_unchanged(login_as, factories):
    cat = factories.category("Garden")
    factories.product(sku="EXP-1", name="=HYPERLINK(\"x\")", price_amount=1999,
                      category=cat, stock_on_hand=3, description="Line one\nline two")
    factories.product(sku="EXP-2", name="Yen", price_amount=1500, currency="JPY",
                      active=False)
    factories.product(sku="OTHER", name="Something else")
    bo, _ = login_as("finance")

    rows = _export(bo, "?search=EXP")
    assert [r["sku"] for r in rows] == ["EXP-1", "EXP-2"]
    assert list(rows[0]) == ["sku", "name", "description", "price", "currency",
                             "tax_category", "active", "stock_on_hand", "category_id",
                             "image_url"]
    first, second = rows
    assert (first["price"], first["currency"], first["active"], first["stock_on_hand"],
            first["category_id"]) == ("19.99", "EUR", "true", "3", str(cat.id))
    assert first["name"] == "'=HYPERLINK(\"x\")"  # no formula when opened in a spreadsheet
    assert first["description"] == "Line one\nline two"
    assert (second["price"], second["active"]) == ("1500", "false")

    # The export is an import file: re-importing it changes nothing.
    admin_bo, _ = login_as("admin")
    text = admin_bo.get(f"{LIST}export/csv/?search=EXP").get_data(as_text=True)
    resp = _upload(admin_bo, text)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert "0 created, 0 updated, 2 unchanged" in admin_bo.get(LIST).get_data(as_text=True)
    name = db.session.scalars(select(Product.name).where(Product.sku == "EXP-1")).one()
    assert name == "=HYPERLINK(\"x\")"


def test_list_costs_the_same_statements_at_any_size(login_as, factories, query_counter):
    cat = factories.category("Bulk")
    bo, _ = login_as("admin")
    counts = []
    for batch, size in (("A", 5), ("B", 40)):
        for n in range(size):
            factories.product(sku=f"{batch}-{n}", category=cat)
        with query_counter() as counted:
            html = bo.get(f"{LIST}?page_size=50").get_data(as_text=True)
        assert "Bulk" in html
        counts.append(counted.count)
    assert counts[0] == counts[1], counts


def test_pages_load_no_assets_from_another_origin(login_as, factories):
    p = factories.product()
    bo, _ = login_as("admin")
    for url in (LIST, f"{LIST}import/", f"{LIST}new/", f"{LIST}edit/?id={p.id}"):
        html = bo.get(url).get_data(as_text=True)
        for asset in re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"([^\"]+)\"", html):
            assert asset.startswith("/"), (url, asset)
            assert bo.get(asset).status_code == 200, asset
