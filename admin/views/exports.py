"""Finance exports (finance and admins): the filtered invoice list as CSV or XLSX (same
filters as the list page), and ZIPs of many PDFs built by a job, with a progress page fed
live over Socket.IO ("export.progress") and a streamed download."""
from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone

from flask import (
    abort, current_app, flash, jsonify, redirect, request, send_file, stream_with_context,
)
from flask_admin import expose
from sqlalchemy import select

from admin.security import SecureView, actor, run
from admin.views.invoices import FINANCE_ROLES, filter_args, request_filters
from app.core.errors import NotFound
from app.core.types import as_uuid
from app.extensions import db
from app.invoices import exports, queries
from app.invoices.export_models import InvoiceExport
from app.invoices.models import Invoice
from app.live import NAMESPACE

CHUNK = 64 * 1024


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _progress_url(export_id) -> str:
    from flask import url_for

    return url_for("bo_invoice_exports.progress_view", export_id=export_id)


def start_zip(ids) -> object:
    """Request a ZIP of the given invoices' PDFs (drafts have none and are skipped) and
    go to its progress page. Used by the list action and by 'all matching'."""
    wanted = [i for i in (as_uuid(x) for x in ids) if i is not None]
    numbered = db.session.scalars(select(Invoice.id).where(
        Invoice.id.in_(wanted), Invoice.number.is_not(None))).all() if wanted else []
    skipped = len(wanted) - len(numbered)
    if not numbered:
        flash("Nothing to export: choose finalised invoices (drafts have no PDF).", "warning")
        return redirect(request.referrer or _invoices_url())
    return _request(numbered, skipped)


def _request(ids, skipped: int = 0, filters: dict | None = None):
    ok, export = run(exports.request_zip, list(ids), actor=actor(), shown_filters=filters)
    if not ok:
        return redirect(request.referrer or _invoices_url())
    note = f" ({skipped} draft(s) skipped: no PDF yet)" if skipped else ""
    flash(f"ZIP export of {export.total} PDF(s) started{note}.", "info")
    return redirect(_progress_url(export.id))


def _invoices_url(**args) -> str:
    from flask import url_for

    return url_for("bo_invoices.index_view", **args)


def export_state(export: InvoiceExport) -> dict:
    state = {"export_id": str(export.id), "done": export.done, "total": export.total,
             "status": export.status}
    if export.status == "done":
        state["download"] = export.file_key
    if export.status == "failed":
        state["error"] = "The export failed; see the failed deliveries list."
    return state


class InvoiceExportsView(SecureView):
    roles_read = FINANCE_ROLES
    roles_write = FINANCE_ROLES

    def _refuse_writes(self):
        return None if self.can_write() else self.forbidden()

    @expose("/")
    def index(self):
        recent = db.session.scalars(select(InvoiceExport)
                                    .order_by(InvoiceExport.created_at.desc()).limit(50)).all()
        return self.render("backoffice/invoice_exports.html", exports=recent)

    # -- the filtered list as a file
    @expose("/invoices.csv")
    def csv_view(self):
        parsed = request_filters()
        # Refused (bad filters) or audited before the stream starts.
        ok, chunks = run(exports.export_csv, parsed.filters, actor=actor(),
                         shown_filters=filter_args(parsed))
        if not ok:
            return redirect(_invoices_url(**filter_args(parsed)))
        response = current_app.response_class(stream_with_context(chunks), mimetype="text/csv")
        response.headers["Content-Disposition"] = \
            f'attachment; filename="invoices-{_stamp()}.csv"'
        return response

    @expose("/invoices.xlsx")
    def xlsx_view(self):
        parsed = request_filters()
        ok, _ = run(queries.filtered, parsed.filters)
        if not ok:
            return redirect(_invoices_url(**filter_args(parsed)))
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            ok, _ = run(exports.export_xlsx, parsed.filters, path, actor=actor(),
                        shown_filters=filter_args(parsed))
            if not ok:
                return redirect(_invoices_url(**filter_args(parsed)))
            handle = open(path, "rb")
        finally:
            os.unlink(path)  # the open handle keeps the data until the response closes
        return send_file(handle, download_name=f"invoices-{_stamp()}.xlsx", as_attachment=True,
                         mimetype="application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet")

    # -- ZIP of PDFs
    @expose("/zip", methods=("POST",))
    def zip_view(self):
        """Every issued invoice matching the list's filters (the ids come from the form
        when a selection is posted instead)."""
        if (refused := self._refuse_writes()) is not None:
            return refused
        if request.form.getlist("rowid"):
            return start_zip(request.form.getlist("rowid"))
        parsed = request_filters()
        ok, stmt = run(queries.filtered, parsed.filters)
        if not ok:
            return redirect(_invoices_url(**filter_args(parsed)))
        ids = db.session.scalars(stmt.with_only_columns(Invoice.id)
                                 .where(Invoice.number.is_not(None))).all()
        if not ids:
            flash("No issued invoice matches these filters.", "warning")
            return redirect(_invoices_url(**filter_args(parsed)))
        return _request(ids, filters=filter_args(parsed))

    @expose("/<export_id>/")
    def progress_view(self, export_id):
        ok, export = run(exports.get_export, export_id)
        if not ok:
            return redirect(self.get_url(".index"))
        return self.render("backoffice/invoice_export_progress.html", export=export,
                           state=export_state(export), live_namespace=NAMESPACE)

    @expose("/<export_id>/status")
    def status_view(self, export_id):
        """The current state, read once by the page when its socket (re)connects, so an
        update sent before the connection is never missed. Not polled."""
        try:
            export = exports.get_export(export_id)
        except NotFound:
            abort(404)
        return jsonify(export_state(export))

    @expose("/<export_id>/download")
    def download_view(self, export_id):
        ok, handle = run(exports.open_export, export_id, actor=actor())
        if not ok:
            return redirect(self.get_url(".progress_view", export_id=export_id)
                            if as_uuid(export_id) else self.get_url(".index"))

        def chunks():
            with handle:
                while block := handle.read(CHUNK):
                    yield block

        response = current_app.response_class(stream_with_context(chunks()),
                                              mimetype="application/zip")
        response.headers["Content-Disposition"] = \
            f'attachment; filename="invoices-{str(export_id)[:8]}.zip"'
        return response
