"""The invoice PDF: rendered by a job after finalisation, stored, then served."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import String, bindparam, select, update
from sqlalchemy.orm import Session, selectinload

from app.core.errors import Conflict
from app.core.readonly import read_engine, write_without_flush_wait
from app.core.types import UUID, UTCDateTime, as_uuid, utcnow
from app.extensions import db
from app.invoices import pdf
from app.invoices.models import Invoice
from app.invoices.storage import get_storage


def storage_key(invoice: Invoice) -> str:
    return f"{invoice.series}/{invoice.number}.pdf"


# Built once: a statement object reused with new values costs SQLAlchemy no rebuilding.
_FOR_RENDER = (select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.order))
               .where(Invoice.id == bindparam("invoice_id", type_=UUID)))
_MARK_READY = (update(Invoice).where(Invoice.id == bindparam("invoice_id", type_=UUID))
               .values(pdf_status="ready", pdf_path=bindparam("key", type_=String),
                       updated_at=bindparam("at", type_=UTCDateTime())))


def load_for_render(invoice_id) -> Invoice:
    return db.session.scalars(_FOR_RENDER, {"invoice_id": as_uuid(invoice_id)}).one()


def generate(invoice_id) -> str:
    """Render and store the PDF; idempotent (the same invoice renders the same bytes).

    Read and marked on autocommit connections: a finalised invoice is immutable, so no
    transaction is needed, and none costs its BEGIN/COMMIT round trips per PDF.
    """
    with Session(read_engine()) as session:
        invoice = session.scalars(_FOR_RENDER, {"invoice_id": as_uuid(invoice_id)}).one()
        if invoice.number is None:
            raise Conflict("A draft has no PDF.")
        key = storage_key(invoice)
        get_storage(current_app).save(key, pdf.render(invoice))
    mark_ready(invoice.id, key)
    return key


def mark_ready(invoice_id, key: str) -> None:
    """The ready flag, committed without waiting for the WAL flush. Safe to lose, and
    never lost silently: the PDF itself is already stored durably, and any later
    synchronous commit (the job's delivery record is one) flushes the WAL past this
    update. A crash in between leaves the job undelivered, so it runs again and renders
    the same bytes."""
    write_without_flush_wait(_MARK_READY, {"invoice_id": as_uuid(invoice_id), "key": key,
                                           "at": utcnow()})


def generate_pdf(evt) -> None:
    generate(evt.payload["invoice_id"])


def pdf_bytes(invoice: Invoice) -> bytes:
    """The stored PDF, rendered now if the job has not run yet (e.g. when emailing)."""
    if invoice.pdf_status != "ready" or not invoice.pdf_path:
        generate(invoice.id)
        db.session.refresh(invoice)
    with get_storage(current_app).open(invoice.pdf_path) as handle:
        return handle.read()
