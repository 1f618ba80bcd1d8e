"""Who may see and change what: one secure base for every back-office view.

Anonymous visitors are sent to the login page; a signed-in staff member without the
role, or whose second factor is still pending, gets 403. Each view names the roles that
may read it (``roles_read``) and those that may change it (``roles_write``).
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import os

from flask import (abort, current_app, flash, redirect, request, send_file,
                   stream_with_context, url_for)
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_login import current_user

from werkzeug.utils import secure_filename

from admin import list_exports
from admin.filters import FilterConverter
from admin.forms import SecureForm
from app.audit import service as audit
from admin.display import local_time
from app.core.actor import Actor
from app.core.like import ESCAPE, contains
from app.core.text import is_clean
from app.core.errors import DomainError
from app.core.types import as_uuid
from app.core.uow import unit_of_work
from app.extensions import db
from app.staff import saved_filters
from app.staff import service as staff_service
from app.staff.models import ROLES

ALL_ROLES = ROLES


def current_staff():
    """The staff member behind a live session (second factor maybe pending), or None."""
    user = current_user
    if getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False):
        return user
    return None


def signed_in_staff():
    """The staff member who has completed every factor that applies, or None."""
    staff = current_staff()
    if staff is None or staff.mfa_pending:
        return None
    return staff


def actor() -> Actor:
    return staff_service.actor_for(signed_in_staff())


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: ``next`` must not turn the login page into an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def login_redirect():
    here = request.full_path if request.query_string else request.path
    return redirect(url_for("backoffice.login", next=here))


def _messages(found) -> list[str]:
    """The messages of an errors value, however nested (per item of a list: {"0": ...})."""
    if isinstance(found, dict):
        return [m for value in found.values() for m in _messages(value)]
    if isinstance(found, (list, tuple)):
        return [m for value in found for m in _messages(value)]
    return [str(found)]


def flash_domain_error(exc: DomainError) -> None:
    details = "; ".join(f"{field}: {' '.join(_messages(msgs))}"
                        for field, msgs in (exc.errors or {}).items())
    flash(f"{exc.message} ({details})" if details else exc.message, "error")


def run(operation, *args, **kwargs) -> tuple[bool, object]:
    """Call a service as one unit of work: committed when it returns; a DomainError rolls
    it back (nothing it touched leaks into a later commit) and becomes a flash message.

    Returns ``(True, result)``, or ``(False, None)`` when the service refused.
    """
    try:
        with unit_of_work():
            result = operation(*args, **kwargs)
    except DomainError as exc:
        flash_domain_error(exc)
        return False, None
    return True, result


def bulk(ids, operation, done_message: str) -> int:
    """Apply a per-row service operation to a list action's selection; each refusal is
    flashed and the rest still run."""
    done = 0
    for row_id in ids:
        ok, _ = run(operation, row_id, actor=actor())
        done += ok
    if done:
        flash(done_message.format(done), "success")
    return done


class RoleMixin:
    roles_read: tuple[str, ...] = ()
    roles_write: tuple[str, ...] = ()

    def can_read(self) -> bool:
        staff = signed_in_staff()
        return staff is not None and staff.role in (*self.roles_read, *self.roles_write)

    def can_write(self) -> bool:
        staff = signed_in_staff()
        return staff is not None and staff.role in self.roles_write

    def is_accessible(self) -> bool:
        return self.can_read()

    def inaccessible_callback(self, name, **kwargs):
        if current_staff() is None:
            return login_redirect()
        return self.forbidden()

    def forbidden(self):
        staff = current_staff()
        return self.render("backoffice/forbidden.html",
                           mfa_pending=bool(staff and staff.mfa_pending)), 403


class SecureView(RoleMixin, BaseView):
    """A custom (non-model) page."""


class SecureIndexView(RoleMixin, AdminIndexView):
    """The dashboard at /admin/: protected like every other page."""


# Endpoints that change data, and the capability each needs. Checked server-side, so a
# hand-made request cannot reach what the hidden button would have done.
_WRITE_ENDPOINTS = {
    "create_view": "can_create",
    "edit_view": "can_edit",
    "ajax_update": "can_edit",
    "delete_view": "can_delete",
    "action_view": "can_write",
}


class SecureModelView(RoleMixin, ModelView):
    """A model list with search, filters and actions; changes go through app/ services.

    Views switch capabilities on with ``allow_create`` / ``allow_edit`` / ``allow_delete``;
    the effective ``can_*`` also needs a role from ``roles_write``.
    """

    form_base_class = SecureForm
    filter_converter = FilterConverter()
    allow_create = False
    allow_edit = False
    allow_delete = False
    page_size = 50
    can_set_page_size = True
    # Every list exports what its filters select (admin/list_exports.py); a view with a
    # file of its own (invoices) switches this off.
    can_export = True
    export_types = ["csv", "xlsx"]
    export_max_rows = 100_000
    # Flask-Admin's list plus the saved-filters bar (a view's own list template extends it).
    list_template = "backoffice/list.html"
    # Lists show the minute in the staff member's time zone (named); exports keep the
    # full ISO timestamp in UTC.
    column_type_formatters = {
        **typefmt.BASE_FORMATTERS,
        datetime: lambda view, value, name: local_time(value),
    }
    # Columns only ``export_money_roles`` may export (amounts): another role's export of
    # the same list leaves them out, whatever the URL asks.
    export_money_columns: tuple[str, ...] = ()
    export_money_roles: tuple[str, ...] = ("admin", "finance")

    @property
    def _export_columns(self):
        columns = self.__dict__.get("_all_export_columns", [])
        staff = signed_in_staff()
        if staff is None or staff.role not in self.export_money_roles:
            columns = [c for c in columns if c[0] not in self.export_money_columns]
        return columns

    @_export_columns.setter
    def _export_columns(self, value):
        self.__dict__["_all_export_columns"] = value

    def get_export_value(self, model, name):
        """The export formatter's value, else the attribute's, else (a computed column such
        as a state) the list formatter's text. Text is neutralised by the CSV writer and
        written as a string (never a formula) to XLSX (admin/list_exports.py)."""
        if name in (self.column_formatters_export or {}) or hasattr(model, name):
            return super().get_export_value(model, name)
        formatter = (self.column_formatters or {}).get(name)
        return formatter(self, None, model, name) if formatter else None

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Every word must match one searchable column, as Flask-Admin does, but what was
        typed is matched literally (its % and _ escaped), and ``search_extra`` lets a view
        match a word its own way (an order number, a customer's email)."""
        from sqlalchemy import Unicode, cast, false, or_

        for term in search.split(" "):
            if not term:
                continue
            if not is_clean(term):
                # A control character (NUL: PostgreSQL refuses it in a parameter) is in no
                # stored value (app.core.text): nothing matches.
                query = query.filter(false())
                if count_query is not None:
                    count_query = count_query.filter(false())
                continue
            pattern = contains(term)
            conds = [cast(field, Unicode).ilike(pattern, escape=ESCAPE)
                     for field, path in (self._search_fields or []) if not path]
            conds += self.search_extra(term)
            if conds:
                query = query.filter(or_(*conds))
                if count_query is not None:
                    count_query = count_query.filter(or_(*conds))
        return query, count_query, joins, count_joins

    def search_extra(self, term: str) -> list:
        return []

    def prefetch(self, rows) -> None:
        """Loads what this page's (or export batch's) formatters need, one query per kind
        (customers' emails...), instead of one per row."""

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                 page_size=None):
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters,
                                       execute=execute, page_size=page_size)
        if execute:
            self.prefetch(rows)
        return count, rows

    @expose("/export/<export_type>/")
    def export(self, export_type):
        """The rows the list's search and filters select (all pages, up to
        ``export_max_rows``), as CSV or XLSX, written as they are read. Only a role that
        may read the list gets here (is_accessible); its money columns only for
        ``export_money_roles``. Audited (who, which list, how many rows, the filters)
        before the first byte leaves."""
        if not self.can_export or export_type not in self.export_types:
            abort(404)
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        count, query = self.get_list(0, sort[0] if sort else None, view_args.sort_desc,
                                     view_args.search, view_args.filters, execute=False,
                                     page_size=self.export_max_rows)
        if count is None:
            count = query.order_by(None).count()
        if self.export_max_rows and count > self.export_max_rows:
            # A file silently cut at the cap would pass for the whole selection.
            flash(f"These filters select {count:,} rows; an export holds at most "
                  f"{self.export_max_rows:,}. Narrow the filters (a date range) and export "
                  f"again.", "error")
            return redirect(url_for(".index_view", **request.args))
        rows = count
        # In its own transaction: this request's session is about to read the rows.
        audit.record_export(actor(), self.endpoint, export_type, rows=rows,
                            filters=request.args, own_transaction=True)
        columns = list(self._export_columns)
        titles = [str(label) for _name, label in columns]
        values = self._export_values(query, [name for name, _label in columns])
        filename = secure_filename(self.get_export_name(export_type))
        if export_type == "csv":
            response = current_app.response_class(
                stream_with_context(list_exports.csv_lines(titles, values)),
                mimetype="text/csv")
            response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        path = list_exports.temp_path()
        try:
            list_exports.write_xlsx(path, str(self.name), titles, values)
            handle = open(path, "rb")
        finally:
            os.unlink(path)  # the open handle keeps the data until the response closes
        return send_file(handle, download_name=filename, as_attachment=True,
                         mimetype=list_exports.XLSX_MIMETYPE)

    def _export_values(self, query, names):
        # Read through the session of the context the rows are written in: a streamed
        # body outlives the view's context, whose session is closed (and would otherwise
        # reopen a transaction that nothing ends).
        query = query.with_session(db.session())
        for chunk in list_exports.batches(query):
            self.prefetch(chunk)
            for model in chunk:
                yield [list_exports.plain(self.get_export_value(model, n)) for n in names]

    # -- saved filters (app/staff/saved_filters.py): per staff member, per list ------------
    def render(self, template, **kwargs):
        if template == self.list_template:
            staff = signed_in_staff()
            kwargs["saved_filters"] = saved_filters.listed(staff.id, self.endpoint) \
                if staff is not None else []
        return super().render(template, **kwargs)

    @expose("/saved-filters/", methods=("POST",))
    def saved_filter_save_view(self):
        staff = signed_in_staff()
        query = request.form.get("query", "")
        ok, saved = run(saved_filters.save, staff.id, self.endpoint,
                        request.form.get("name", ""), query, actor=actor())
        if ok:
            flash(f"Filters saved as \u201c{saved.name}\u201d.", "success")
            return redirect(self._saved_url(saved.query))
        try:  # back to the list as it was, when what it showed can be shown again
            again = saved_filters.clean_query(query)
        except DomainError:
            again = ""
        return redirect(self._saved_url(again))

    @expose("/saved-filters/<filter_id>/")
    def saved_filter_view(self, filter_id):
        """Re-applies a saved filter: the list with its query string."""
        try:
            saved = saved_filters.get(signed_in_staff().id, filter_id, self.endpoint)
        except DomainError:
            abort(404)
        return redirect(self._saved_url(saved.query))

    @expose("/saved-filters/<filter_id>/delete", methods=("POST",))
    def saved_filter_delete_view(self, filter_id):
        ok, _ = run(saved_filters.delete, signed_in_staff().id, filter_id, self.endpoint,
                    actor=actor())
        if ok:
            flash("Saved filter deleted.", "success")
        return redirect(self.get_url(".index_view"))

    def _saved_url(self, query: str) -> str:
        # Only ever this list's own URL: the stored text is a query string, nothing more.
        base = self.get_url(".index_view")
        return f"{base}?{query}" if query else base

    def get_invalid_value_msg(self, value, filter):
        # Flask-Admin ignores a filter whose value fails validate() and flashes this;
        # a filter that knows why (an amount: "1,50", "Infinity") says so.
        message = super().get_invalid_value_msg(value, filter)
        why = getattr(filter, "why_invalid", None)
        reason = why(value) if why else None
        return f"{message}. {reason}" if reason else message

    @property
    def can_create(self) -> bool:
        return self.allow_create and self.can_write()

    @property
    def can_edit(self) -> bool:
        return self.allow_edit and self.can_write()

    @property
    def can_delete(self) -> bool:
        return self.allow_delete and self.can_write()

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        needed = _WRITE_ENDPOINTS.get(name)
        if needed is not None:
            allowed = getattr(self, needed)
            if not (allowed() if callable(allowed) else allowed):
                return self.forbidden()
        return None

    def is_action_allowed(self, name: str) -> bool:
        return self.can_write() and super().is_action_allowed(name)

    def get_one(self, id):
        # Every table has a UUID key; Flask-Admin hands over the URL's text, which the
        # Uuid column type will not bind. A malformed id simply finds nothing (404).
        ident = as_uuid(id)
        return None if ident is None else db.session.get(self.model, ident)

    # Flask-Admin's defaults write with session.add/delete: every change here must go
    # through a service instead, so the defaults are closed.
    def create_model(self, form):
        raise NotImplementedError(f"{type(self).__name__} creates through a service")

    def update_model(self, form, model):
        raise NotImplementedError(f"{type(self).__name__} updates through a service")

    def delete_model(self, model):
        raise NotImplementedError(f"{type(self).__name__} deletes through a service")
