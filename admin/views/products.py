"""Products: search, filters, inline stock edit, bulk (de)activation, CSV export and import.

Roles: admin, support and finance read (support answers stock and price questions,
finance checks prices and tax categories); only admins change the catalogue. Every change
goes through app.catalog.service (audit entry, event, cache invalidation happen there):
create_product / update_product for the forms, set_stock for the inline stock edit,
activate / deactivate for the bulk actions and bulk_upsert_by_sku for the CSV import.
No delete: order lines reference products; deactivate instead.
"""
from __future__ import annotations

import csv
import io
import re

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from flask_admin.helpers import get_form_data
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from admin.forms import SecureForm
from admin.security import SecureModelView, actor, flash_domain_error, run
from admin.views.money import (
    AmountAtLeast, AmountAtMost, NotAnAmount, decimal_amount, format_amount, to_minor,
)
from app.catalog import rules
from app.catalog import service as catalog
from app.catalog.models import Product
from app.core.errors import DomainError
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid
from app.core.uow import unit_of_work
from app.extensions import db

LOW_STOCK = 5  # "low" in the stock-level filter: 1..LOW_STOCK units left

# The CSV format, shared by export and import so an exported file re-imports unchanged.
# ``price`` is in major units (19.99 EUR); empty optional cells keep the current value
# (or the default for a new product).
CSV_COLUMNS = ("sku", "name", "description", "price", "currency", "tax_category", "active",
               "stock_on_hand", "category_id", "image_url")
CSV_REQUIRED = ("sku", "name", "price", "currency")
# Domain field -> CSV column, for the error report.
_COLUMN_OF = {"price_amount": "price"}
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n"}
# Spreadsheet formula injection: a cell starting with one of these runs as a formula when
# the export is opened in a spreadsheet. Exported text gets a leading apostrophe, which
# the import removes again.
_FORMULA = re.compile(r"^['][=+\-@\t\r]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# -- forms ---------------------------------------------------------------------------------

def _price_to_minor(form) -> bool:
    """Form-level: the price needs the currency to become minor units."""
    try:
        form.price_minor = to_minor(form.price.data or "", form.currency.data or "")
    except NotAnAmount as exc:
        form.price.errors = [*form.price.errors, str(exc)]
        return False
    return True


class ProductEditForm(SecureForm):
    sku = StringField("SKU", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=10_000)])
    price = StringField("Price", validators=[DataRequired()],
                        description="In major units, e.g. 19.99 (no thousands separators).")
    currency = SelectField("Currency", choices=[SelectChoice(c, c) for c in rules.CURRENCIES])
    tax_category = SelectField("Tax category",
                               choices=[SelectChoice(t, t) for t in rules.TAX_CATEGORIES])
    category_ref = SelectField("Category", choices=[], validate_choice=True)
    image_url = StringField("Image URL", validators=[Optional(), Length(max=500)])
    active = BooleanField("Active")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return _price_to_minor(self) and ok


class ProductCreateForm(ProductEditForm):
    # Stock changes after creation go through the inline edit (catalog.set_stock).
    stock_on_hand = IntegerField("Stock on hand", default=0,
                                 validators=[Optional(), NumberRange(min=0)])


class ProductImportForm(SecureForm):
    file = FileField("CSV file", validators=[FileRequired()])


def _form_values(form) -> dict:
    values = {"sku": (form.sku.data or "").strip(), "name": form.name.data or "",
              "description": form.description.data or "", "price_amount": form.price_minor,
              "currency": form.currency.data, "tax_category": form.tax_category.data,
              "active": bool(form.active.data),
              "category_id": form.category_ref.data or None,
              "image_url": (form.image_url.data or "").strip() or None}
    if hasattr(form, "stock_on_hand"):
        values["stock_on_hand"] = form.stock_on_hand.data or 0
    return values


_FIELD_OF = {"price_amount": "price", "category_id": "category_ref"}


def _attach_errors(form, exc: DomainError) -> None:
    """Show the service's per-field messages next to the fields they concern."""
    for key, messages in (exc.errors or {}).items():
        field = getattr(form, _FIELD_OF.get(key, key), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *map(str, messages)]


# -- list formatters and filters -----------------------------------------------------------

def _price(view, context, model, name):
    return format_amount(model.price_amount, model.currency)


def _guard(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unguard(text: str) -> str:
    return text[1:] if _FORMULA.match(text) else text


def _export_text(view, context, model, name):
    return _guard(getattr(model, name))


EXPORT_FORMATTERS = {
    "sku": _export_text,
    "name": _export_text,
    "description": _export_text,
    "price": lambda v, c, m, n: decimal_amount(m.price_amount, m.currency),
    "active": lambda v, c, m, n: "true" if m.active else "false",
    "category_id": lambda v, c, m, n: str(m.category_id) if m.category_id else "",
    "image_url": _export_text,
}


class _CategoryOptions:
    """Flask-Admin computes filter options once, when the view is built; categories
    change at run time, so this reads them each time the list page iterates them."""

    def __bool__(self) -> bool:
        return True

    def __iter__(self):
        return iter([(str(c.id), c.name) for c in catalog.list_categories()])


class CategoryFilter(BaseSQLAFilter):
    def __init__(self):
        super().__init__(Product.category_id, "Category")

    def get_options(self, view):
        return _CategoryOptions()

    def validate(self, value) -> bool:
        return as_uuid(value) is not None

    def clean(self, value):
        return as_uuid(value)

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) == value)

    def operation(self):
        return lazy_gettext("equals")


class StockLevelFilter(BaseSQLAFilter):
    LEVELS = {"out": "out of stock", "low": f"low (1-{LOW_STOCK})", "in": "in stock"}

    def __init__(self):
        super().__init__(Product.stock_on_hand, "Stock level",
                         options=list(self.LEVELS.items()))

    def validate(self, value) -> bool:
        return value in self.LEVELS

    def apply(self, query, value, alias=None):
        column = self.get_column(alias)
        if value == "out":
            return query.filter(column == 0)
        if value == "low":
            return query.filter(column > 0, column <= LOW_STOCK)
        return query.filter(column > 0)

    def operation(self):
        return lazy_gettext("is")


# -- the view ------------------------------------------------------------------------------

class ProductsView(SecureModelView):
    roles_read = ("admin", "support", "finance")
    roles_write = ("admin",)
    allow_create = True
    allow_edit = True
    can_view_details = True
    # The detail page shows timestamps as the list does (seconds, UTC).
    column_type_formatters_detail = SecureModelView.column_type_formatters
    export_max_rows = 50_000
    list_template = "backoffice/products_list.html"

    column_list = ("sku", "name", "category", "price_amount", "tax_category", "active",
                   "stock_on_hand", "updated_at")
    column_details_list = ("id", "sku", "name", "description", "category", "price_amount",
                           "tax_category", "active", "stock_on_hand", "image_url",
                           "created_at", "updated_at")
    column_labels = {"sku": "SKU", "price_amount": "Price", "stock_on_hand": "Stock",
                     "tax_category": "Tax category", "image_url": "Image URL"}
    column_formatters = {"price_amount": _price}
    column_searchable_list = ("sku", "name")
    column_sortable_list = ("sku", "name", "price_amount", "active", "stock_on_hand",
                            "updated_at")
    column_default_sort = ("sku", False)
    column_editable_list = ("stock_on_hand",)
    column_export_list = CSV_COLUMNS
    column_formatters_export = EXPORT_FORMATTERS

    form = ProductEditForm

    column_filters = (
        "active",
        CategoryFilter(),
        FilterEqual(Product.currency, "Currency", options=[(c, c) for c in rules.CURRENCIES]),
        AmountAtLeast(Product.price_amount, Product.currency, "Price"),
        AmountAtMost(Product.price_amount, Product.currency, "Price"),
        StockLevelFilter(),
        "stock_on_hand",
        FilterEqual(Product.tax_category, "Tax category",
                    options=[(t, t) for t in rules.TAX_CATEGORIES]),
    )

    # Only the writers reach the import page (the list/edit endpoints are in the base).
    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        if name == "import_view" and not self.can_write():
            return self.forbidden()
        return None

    # -- export: raw column names as headers, so the file re-imports as it is --------------
    def get_export_columns(self):
        return [(c, c) for c in CSV_COLUMNS]

    def get_export_name(self, export_type="csv"):
        return f"products.{export_type}"

    # -- forms -------------------------------------------------------------------------
    def get_create_form(self):
        return ProductCreateForm

    @staticmethod
    def _with_categories(form):
        form.category_ref.choices = [SelectChoice("", "(none)")] + [
            SelectChoice(str(c.id), c.name) for c in catalog.list_categories()]
        return form

    def create_form(self, obj=None):
        return self._with_categories(self._create_form_class(get_form_data(),
                                                             active=True, stock_on_hand=0))

    def edit_form(self, obj=None):
        # Filled from the product's values (not ``obj``): the form shows the price in major
        # units and the category as its id, which the model holds differently.
        initial = {}
        if obj is not None:
            initial = {"sku": obj.sku, "name": obj.name, "description": obj.description,
                       "price": decimal_amount(obj.price_amount, obj.currency),
                       "currency": obj.currency, "tax_category": obj.tax_category,
                       "category_ref": str(obj.category_id) if obj.category_id else "",
                       "image_url": obj.image_url or "", "active": obj.active}
        return self._with_categories(self._edit_form_class(get_form_data(), **initial))

    def _service(self, form, operation, *args):
        try:
            with unit_of_work():
                return operation(*args, actor=actor())
        except DomainError as exc:
            flash_domain_error(exc)
            _attach_errors(form, exc)
            return None

    def create_model(self, form):
        product = self._service(form, catalog.create_product, _form_values(form))
        return product or False

    def update_model(self, form, model):
        if hasattr(form, "list_form_pk"):
            # The inline stock edit (x-editable posts one field plus the CSRF token).
            ok, _ = run(catalog.set_stock, model.id, form.stock_on_hand.data, actor=actor())
            return ok
        return self._service(form, catalog.update_product, model.id,
                             _form_values(form)) is not None

    # -- bulk actions --------------------------------------------------------------------
    @action("activate", "Activate", "Activate the selected products? They become orderable.")
    def action_activate(self, ids):
        ok, changed = run(catalog.activate, ids, actor=actor())
        if ok:
            flash(f"{changed} product(s) activated.", "success")

    @action("deactivate", "Deactivate",
            "Deactivate the selected products? Customers can no longer order them.")
    def action_deactivate(self, ids):
        ok, changed = run(catalog.deactivate, ids, actor=actor())
        if ok:
            flash(f"{changed} product(s) deactivated.", "success")

    # -- CSV import ------------------------------------------------------------------------
    @expose("/import/", methods=("GET", "POST"))
    def import_view(self):
        form = ProductImportForm()
        report, summary = None, None
        if form.validate_on_submit():
            try:
                rows, lines, csv_errors = read_csv(form.file.data.read())
            except CsvRefused as exc:
                flash(str(exc), "error")
            else:
                try:
                    with unit_of_work():
                        result = catalog.bulk_upsert_by_sku(rows, actor=actor())
                except DomainError as exc:
                    summary = exc.message
                    report = error_report(exc, rows, lines, csv_errors)
                    flash(exc.message, "error")
                else:
                    if csv_errors:  # cannot happen: such rows fail the domain's own checks
                        raise AssertionError("a CSV row with conversion errors was accepted")
                    counts = result.counts()
                    flash("Import done: {created} created, {updated} updated, "
                          "{unchanged} unchanged.".format(**counts), "success")
                    return redirect(url_for(".index_view"))
        return self.render("backoffice/products_import.html", form=form, report=report,
                           summary=summary, columns=CSV_COLUMNS, required=CSV_REQUIRED,
                           low_stock=LOW_STOCK)


# -- CSV import: translation only; every rule is the catalogue's --------------------------

class CsvRefused(ValueError):
    """The file as a whole cannot be read (encoding, header, shape)."""


def read_csv(data: bytes) -> tuple[list[dict], list[int], dict[int, dict[str, list[str]]]]:
    """CSV bytes -> (rows for bulk_upsert_by_sku, source line of each row, conversion
    errors by row index).

    A cell that cannot be converted (price ``abc``, active ``maybe``) is passed on as the
    raw text, which the catalogue's own rules always refuse, so the whole file is rejected
    and the report shows both our message and every other row's problems.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRefused("The file is not UTF-8 text. Save it as CSV (UTF-8).") from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in comma-decimal locales save with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise CsvRefused("The file is empty: expected a header line "
                         f"({', '.join(CSV_COLUMNS)}).")
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [c for c in CSV_REQUIRED if c not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or duplicated:
        parts = []
        if unknown:
            parts.append("unknown column(s): " + ", ".join(unknown))
        if missing:
            parts.append("missing column(s): " + ", ".join(missing))
        if duplicated:
            parts.append("repeated column(s): " + ", ".join(duplicated))
        raise CsvRefused("The header does not match the product CSV format (" +
                         "; ".join(parts) + f"). Expected: {', '.join(CSV_COLUMNS)}.")
    reader.fieldnames = header
    rows, lines, errors = [], [], {}
    try:
        for record in reader:
            if None in record:
                raise CsvRefused(f"Line {reader.line_num} has more cells than the header.")
            cells = {k: (v or "") for k, v in record.items()}
            bad = [k for k, v in cells.items() if not is_clean(v)]
            if bad:  # the catalogue's rules do not look for these: refuse the file here
                raise CsvRefused(f"Line {reader.line_num}, column {bad[0]}: {MESSAGE}")
            if not any(v.strip() for v in cells.values()):
                continue  # a blank spreadsheet row
            row, problems = _convert(cells)
            if problems:
                errors[len(rows)] = problems
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise CsvRefused(f"Line {reader.line_num}: {exc}.") from None
    if not rows:
        raise CsvRefused("The file has a header but no product rows.")
    return rows, lines, errors


def _convert(cells: dict[str, str]) -> tuple[dict, dict[str, list[str]]]:
    row, problems = {}, {}
    for key in ("sku", "name"):
        if key in cells:
            row[key] = _unguard(cells[key].strip())
    if cells.get("description", ""):
        row["description"] = _unguard(cells["description"])
    currency = cells.get("currency", "").strip().upper()
    row["currency"] = currency
    price = cells.get("price", "").strip()
    if price:
        try:
            row["price_amount"] = to_minor(price, currency)
        except NotAnAmount as exc:
            row["price_amount"] = price
            problems["price"] = [f"{exc} (got {price!r})"]
    for key in ("tax_category", "category_id", "image_url"):
        value = _unguard(cells.get(key, "").strip())
        if value:
            row[key] = value
    active = cells.get("active", "").strip()
    if active:
        if active.lower() in _TRUE:
            row["active"] = True
        elif active.lower() in _FALSE:
            row["active"] = False
        else:
            row["active"] = active
            problems["active"] = [f"true or false (got {active!r})."]
    stock = cells.get("stock_on_hand", "").strip()
    if stock:
        if stock.isascii() and stock.isdigit():
            row["stock_on_hand"] = int(stock)
        else:
            row["stock_on_hand"] = stock
            problems["stock_on_hand"] = [f"A whole number, 0 or more (got {stock!r})."]
    return row, problems


_DUPLICATE_ROW = re.compile(r"^Duplicate of row (\d+) in this request\.$")


def _in_lines(message: str, lines: list[int]) -> str:
    """The catalogue counts rows from 0; a person reading a CSV counts lines."""
    match = _DUPLICATE_ROW.match(message)
    if match and int(match.group(1)) < len(lines):
        return f"Duplicate of line {lines[int(match.group(1))]} in this file."
    return message


def error_report(exc: DomainError, rows: list[dict], lines: list[int],
                 csv_errors: dict[int, dict[str, list[str]]]) -> list[dict]:
    """One entry per rejected row: its line in the file, its SKU and each column's
    messages (the CSV's own conversion message wins over the catalogue's for a cell)."""
    by_row: dict[int, dict[str, list[str]]] = {}
    domain_rows = (exc.errors or {}).get("rows")
    if isinstance(domain_rows, dict):
        for index, fields in domain_rows.items():
            merged = by_row.setdefault(int(index), {})
            for field, messages in (fields or {}).items():
                merged[_COLUMN_OF.get(field, field)] = [_in_lines(str(m), lines)
                                                        for m in messages]
    for index, fields in csv_errors.items():
        by_row.setdefault(index, {}).update(fields)
    report = []
    for index in sorted(by_row):
        sku = rows[index].get("sku") if index < len(rows) else None
        report.append({"line": lines[index] if index < len(lines) else None,
                       "row": index, "sku": sku if isinstance(sku, str) else "",
                       "errors": by_row[index]})
    if not report:  # a file-level refusal (too many rows, a concurrent writer...)
        for field, messages in (exc.errors or {}).items():
            report.append({"line": None, "row": None, "sku": "",
                           "errors": {field: list(map(str, messages))}})
    return report
