"""Finance exports: CSV and XLSX of a filtered list (with totals per currency and per tax
rate), and a ZIP of many PDFs built by a job. Rows are streamed (yield_per) and files
are written incrementally, so memory stays flat however many invoices there are."""
from __future__ import annotations

import csv
import io
import uuid
import zipfile
from collections import defaultdict
from typing import Iterator

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.invoices import pdf, queries
from app.invoices.export_cells import Amount, Percent, XlsxCells, csv_row
from app.invoices.export_models import InvoiceExport, InvoiceExportItem
from app.invoices.zipstream import SpooledZipFile
from app.invoices.models import Invoice
from app.invoices.storage import get_storage
from app.tax import treatments

HEADER = ["number", "kind", "status", "issue_date", "due_date", "buyer", "buyer_email",
          "buyer_tax_id", "currency", "subtotal", "tax", "total", "reverse_charge"]
BATCH = 200
MAX_ZIP_INVOICES = 100_000
_TREATMENT_ORDER = {name: i for i, name in enumerate(treatments.TREATMENTS)}


def rows(filters: dict | None = None) -> Iterator[list]:
    """Every matching issued invoice as a row, then the totals rows. Amounts are
    ``Amount`` cells (exact minor units); the writer decides how each file shows them."""
    by_currency = defaultdict(lambda: [0, 0, 0])
    by_rate = defaultdict(lambda: [0, 0])
    stmt = queries.filtered(filters).where(Invoice.number.is_not(None)) \
        .options(selectinload(Invoice.lines)).execution_options(yield_per=BATCH)
    for invoice in db.session.scalars(stmt):
        c = invoice.currency
        yield [invoice.number, invoice.kind, invoice.status, invoice.issue_date.isoformat(),
               invoice.due_date.isoformat() if invoice.due_date else "", invoice.buyer.get("name"),
               invoice.buyer.get("email") or "", invoice.buyer.get("tax_id") or "", c,
               Amount(invoice.subtotal_amount, c), Amount(invoice.tax_amount, c),
               Amount(invoice.total_amount, c), "yes" if invoice.reverse_charge else ""]
        if invoice.status != "cancelled":
            totals = by_currency[c]
            totals[0] += invoice.subtotal_amount
            totals[1] += invoice.tax_amount
            totals[2] += invoice.total_amount
            for kind, rate, net, tax in treatments.breakdown(
                    invoice.lines, reverse_charge=invoice.reverse_charge):
                base = by_rate[(c, kind, rate)]
                base[0] += net
                base[1] += tax
    blank = [""] * 8
    yield []
    yield ["totals per currency (cancelled excluded)", *blank[1:], "currency",
           "subtotal", "tax", "total"]
    for c, (sub, tax, total) in sorted(by_currency.items()):
        yield [*blank, c, Amount(sub, c), Amount(tax, c), Amount(total, c)]
    yield []
    yield ["totals per tax rate", *blank[1:], "currency", "net", "tax", "rate", "treatment"]
    for (c, kind, rate), (net, tax) in sorted(
            by_rate.items(), key=lambda item: (item[0][0], _TREATMENT_ORDER[item[0][1]],
                                               -item[0][2])):
        yield [*blank, c, Amount(net, c), Amount(tax, c), Percent(rate),
               treatments.LABELS[kind]]


def csv_chunks(filters: dict | None = None) -> Iterator[str]:
    """CSV text in chunks, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n, row in enumerate(rows(filters), 1):
        writer.writerow(csv_row(row))
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def count(filters: dict | None = None) -> int:
    """How many invoices an export of these filters holds (issued ones: drafts have no
    number and are never exported)."""
    stmt = queries.filtered(filters).where(Invoice.number.is_not(None))
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def export_csv(filters: dict | None, *, actor: Actor, shown_filters=None) -> Iterator[str]:
    """The CSV download: audited (who, how many invoices, which filters) in the request's
    unit of work, committed before the first byte is streamed."""
    audit.record_export(actor, "invoices", "csv", rows=count(filters), filters=shown_filters)
    return csv_chunks(filters)


def export_xlsx(filters: dict | None, path: str, *, actor: Actor, shown_filters=None) -> None:
    """The XLSX download, written to ``path`` and audited like the CSV."""
    write_xlsx(filters, path)
    audit.record_export(actor, "invoices", "xlsx", rows=count(filters), filters=shown_filters)


def write_xlsx(filters: dict | None, path: str) -> None:
    import xlsxwriter

    # strings_to_formulas off as well: even a write() added later keeps text as text.
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True,
                                          "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Invoices")
    cells = XlsxCells(workbook)
    cells.write_row(sheet, 0, HEADER, workbook.add_format({"bold": True}))
    for n, row in enumerate(rows(filters), 1):
        cells.write_row(sheet, n, row)
    workbook.close()


def request_zip(invoice_ids: list, *, actor: Actor, shown_filters=None) -> InvoiceExport:
    ids = [as_uuid(i) for i in invoice_ids]
    if not ids or any(i is None for i in ids):
        raise InvalidInput("Choose invoices to export.", errors={"invoice_ids": ["Invalid."]})
    if len(ids) > MAX_ZIP_INVOICES:
        raise InvalidInput("Too many invoices.", errors={"invoice_ids": [f"At most {MAX_ZIP_INVOICES}."]})
    export = InvoiceExport(id=uuid.uuid4(), requested_by=actor.ref, total=len(ids))
    db.session.add(export)
    db.session.flush()
    db.session.execute(insert(InvoiceExportItem), [
        {"export_id": export.id, "position": n, "invoice_id": ident} for n, ident in enumerate(ids)])
    audit.record(actor, "invoice.export_zip", "invoice_export", export.id,
                 after={"count": len(ids), "filters": audit.export_filters(shown_filters)})
    publish("invoice_export.requested", {"export_id": str(export.id)})
    db.session.flush()
    return export


_PROGRESS_WORDS = {"running": "{done} of {total}", "done": "ready ({total})",
                   "failed": "failed after {done} of {total}"}


def _progress(export_id, done: int, total: int, status: str, **extra) -> None:
    from app import live

    try:
        live.emit_to_staff("export.progress", {"export_id": str(export_id), "done": done,
                                               "total": total, "status": status, **extra})
    except Exception:  # progress is a courtesy; the export row is the record
        current_app.logger.warning("export progress broadcast failed", exc_info=True)
    # The dashboard's live feed: every long job's progress in one place.
    live.job_progress("invoice_zip", export_id, done=done, total=total, status=status,
                      text="ZIP of invoice PDFs: "
                           + _PROGRESS_WORDS[status].format(done=done, total=total),
                      url=f"/admin/invoice-exports/{export_id}/")


def _set_export(export_id, **values) -> None:
    """Progress and outcome as plain UPDATEs: committing them never expires (and reloads)
    the rows the job is streaming."""
    db.session.execute(update(InvoiceExport).where(InvoiceExport.id == export_id).values(**values))
    db.session.commit()


def build_zip(export_id, *, progress_every: int | None = None) -> str:
    """The job: stream each PDF into a ZIP written in place in storage; returns its key."""
    progress_every = progress_every or current_app.config.get("EXPORT_PROGRESS_EVERY", 50)
    export = get_export(export_id)
    if export.status == "done":
        return export.file_key
    export_id, total, key = export.id, export.total, f"exports/{export.id}.zip"
    _set_export(export_id, status="running", done=0)
    _progress(export_id, 0, total, "running")
    storage = get_storage(current_app)
    done = 0
    try:
        with storage.writer(key) as target, \
                SpooledZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
            for rows in _selection(export_id):
                for row in rows:
                    _add_pdf(archive, storage, row)
                    done += 1
                    if done % progress_every == 0:
                        _set_export(export_id, done=done)
                        _progress(export_id, done, total, "running")
    except Exception as exc:
        db.session.rollback()
        _set_export(export_id, status="failed", error=f"{type(exc).__name__}: {exc}"[:2000])
        _progress(export_id, done, total, "failed")
        raise
    _set_export(export_id, status="done", done=done, file_key=key, finished_at=utcnow())
    _progress(export_id, done, total, "done", download=key)
    return key


def _selection(export_id):
    """The export's invoices in order, a batch of rows at a time (keyset on position)."""
    after = -1
    while True:
        rows = db.session.execute(
            select(InvoiceExportItem.position, Invoice.id, Invoice.number, Invoice.pdf_status,
                   Invoice.pdf_path)
            .join(Invoice, Invoice.id == InvoiceExportItem.invoice_id)
            .where(InvoiceExportItem.export_id == export_id, InvoiceExportItem.position > after,
                   Invoice.number.is_not(None))
            .order_by(InvoiceExportItem.position).limit(BATCH)).all()
        if not rows:
            return
        after = rows[-1].position
        yield rows


def _add_pdf(archive: zipfile.ZipFile, storage, row) -> None:
    name = f"{row.number}.pdf"
    if row.pdf_status == "ready" and row.pdf_path:
        with storage.open(row.pdf_path) as handle, archive.open(name, "w") as entry:
            while block := handle.read(64 * 1024):
                entry.write(block)
        return
    invoice = db.session.scalars(select(Invoice).options(selectinload(Invoice.lines))
                                 .where(Invoice.id == row.id)).one()
    archive.writestr(name, pdf.render(invoice))
    db.session.expunge(invoice)


def build_zip_job(evt) -> None:
    build_zip(evt.payload["export_id"])


def get_export(export_id) -> InvoiceExport:
    export = db.session.get(InvoiceExport, as_uuid(export_id)) if as_uuid(export_id) else None
    if export is None:
        raise NotFound("Export not found.")
    return export


def open_export(export_id, *, actor: Actor):
    """The ZIP's file, for download: each download is audited (whoever asked for the
    export, any finance member may fetch it)."""
    export = get_export(export_id)
    if export.status != "done":
        raise Conflict("The export is not ready yet.")
    audit.record_export(actor, "invoice_pdfs", "zip", rows=export.total, target_id=export.id)
    return get_storage(current_app).open(export.file_key)
