"""In-app seeding and measurements for the invoice benchmarks (run in a child process through
``bench.inproc.run_in_app``, i.e. ``python -m bench.inapp bench.invoice_seed:<function>``).

Documents for the PDF benchmarks are the app's own sample invoices
(``app.invoices.pdf_sample.sample_invoice``), inserted through the ORM, so the "direct"
side of a comparison can build the *same* invoice in memory; the measurement checks that the
job's stored PDF and the direct render are byte-identical (rendering is deterministic).

The ZIP data set is written with PostgreSQL COPY: finalised invoices with numbers, buyer
and seller snapshots, 1-5 lines each whose amounts come from the app's tax computation,
``pdf_status='ready'`` and a stored PDF per invoice.
"""
from __future__ import annotations

import gc
import random
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from flask import current_app
from sqlalchemy import insert, text, update

from app.extensions import db
from bench.inproc import proc_status, reset_peak_rss, timed_pairs
from bench.seed import _copy

JOB_NUMBER = "INV-2026-900001"  # the 10-line invoice of invoice_pdf_job
BIG_NUMBER = "INV-2026-900100"  # the 100-line invoice of invoice_lines_scaling
SMALL_NUMBERS = [f"INV-2026-9002{k:02d}" for k in range(10)]  # its ten 10-line invoices


# -- the PDF benchmarks -------------------------------------------------------------------------
def seed_documents() -> dict:
    """The sample invoices (10 lines; 100 lines; ten of 10 lines) as database rows."""
    from app.invoices.pdf_sample import sample_invoice

    started = time.perf_counter()
    specs = [(JOB_NUMBER, 10), (BIG_NUMBER, 100)] + [(n, 10) for n in SMALL_NUMBERS]
    ids = {}
    for number, lines in specs:
        invoice = sample_invoice(lines, number=number)
        invoice.id = uuid.uuid4()
        db.session.add(invoice)
        ids[number] = str(invoice.id)
    db.session.commit()
    return {"ids": ids, "seconds": round(time.perf_counter() - started, 2)}


def _job(invoice_id):
    """The job body as a worker runs it: generate, then end the job's session."""
    from app.invoices import documents

    def job():
        documents.generate(invoice_id)
        db.session.remove()
    return job


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return round(times[len(times) // 2] * 1000, 3)


def _breakdown(invoice_id, repeat: int = 30) -> dict:
    """Where the job's time goes: each step of ``documents.generate`` alone (median ms)."""
    from app.invoices import documents, pdf
    from app.invoices.storage import get_storage

    storage = get_storage(current_app)

    def load():
        invoice = documents.load_for_render(invoice_id)
        len(invoice.lines)
        db.session.remove()

    invoice = documents.load_for_render(invoice_id)
    data = pdf.render(invoice)
    key = documents.storage_key(invoice)
    ident = invoice.id
    out = {"load_ms": _median_ms(load, repeat)}
    invoice = documents.load_for_render(invoice_id)
    out["render_ms"] = _median_ms(lambda: pdf.render(invoice), repeat)
    db.session.remove()
    out["store_ms"] = _median_ms(lambda: storage.save(key, data), repeat)

    def mark():
        documents.mark_ready(ident, key)
    out["update_commit_ms"] = _median_ms(mark, repeat)
    db.session.remove()
    return out


def measure_pdf_job(invoice_id: str, number: str = JOB_NUMBER, lines: int = 10,
                    pairs: int = 5, duration: float = 3.0, warmup: float = 3.0) -> dict:
    """A: ``documents.generate`` (DB read + render + store + status update) of the seeded
    invoice; B: ``pdf.render`` of the same invoice built in memory. PDFs per second."""
    from app.invoices import pdf
    from app.invoices.pdf_sample import sample_invoice
    from app.invoices.storage import get_storage

    direct_invoice = sample_invoice(lines, number=number)
    result = timed_pairs(_job(invoice_id), lambda: pdf.render(direct_invoice), pairs=pairs,
                         duration=duration, warmup=warmup)
    with get_storage(current_app).open(f"INV/{number}.pdf") as handle:
        stored = handle.read()
    direct = pdf.render(direct_invoice)
    result["identical"] = stored == direct
    result["pdf_bytes"] = len(direct)
    result["breakdown"] = _breakdown(invoice_id)
    result["synchronous_commit"] = db.session.execute(text("SHOW synchronous_commit")).scalar()
    db.session.remove()
    return result


def measure_lines_scaling(big_id: str, small_ids: list[str], pairs: int = 5,
                          duration: float = 3.0, warmup: float = 3.0) -> dict:
    """One 100-line invoice vs ten 10-line invoices: ``pdf.render`` of the in-memory
    invoices, then the job path (``documents.generate`` of the same invoices as rows)."""
    import io

    from pypdf import PdfReader

    from app.invoices import pdf
    from app.invoices.pdf_sample import sample_invoice

    big = sample_invoice(100, number=BIG_NUMBER)
    smalls = [sample_invoice(10, number=n) for n in SMALL_NUMBERS]

    def ten_renders():
        for invoice in smalls:
            pdf.render(invoice)

    render = timed_pairs(lambda: pdf.render(big), ten_renders, pairs=pairs, duration=duration,
                         warmup=warmup)
    small_jobs = [_job(i) for i in small_ids]

    def ten_jobs():
        for job in small_jobs:
            job()

    job = timed_pairs(_job(big_id), ten_jobs, pairs=pairs, duration=duration, warmup=warmup)
    big_pdf, small_pdf = pdf.render(big), pdf.render(smalls[0])
    return {"render": render, "job": job,
            "pages": {"big": len(PdfReader(io.BytesIO(big_pdf)).pages),
                      "small": len(PdfReader(io.BytesIO(small_pdf)).pages)},
            "bytes": {"big": len(big_pdf), "small": len(small_pdf)}}


# -- the ZIP benchmark --------------------------------------------------------------------------
BUYER_NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Émilie du Châtelet",
               "Søren Kierkegaard", "Дмитрий Менделеев", "陈伟", "山田太郎", "Ζωή Παππά",
               "Katherine Johnson", "Hedy Lamarr", "Niels Bohr"]
ITEMS = ["Oak Table", "Steel Lamp", "Linen Cushion", "Ceramic Mug", "Glass Vase",
         "Wool Blanket", "Brass Clock", "Bamboo Tray", "Cork Planter", "Leather Stool"]
RATES = [(Decimal("0.19"), "standard"), (Decimal("0.07"), "reduced"), (Decimal("0"), "zero")]


def seed_zip(total: int = 10_000, small: int = 1_000, distinct: int = 20,
             seed: int = 20260302) -> dict:
    """``total`` finalised invoices (COPY), each with a stored PDF (pdf_status='ready'):
    the first ``distinct`` are rendered for real, every other invoice's file is a copy of
    one of them. Two export requests: the first ``small`` invoices by number, and all."""
    from app.invoices import documents, pdf
    from app.invoices.export_models import InvoiceExport, InvoiceExportItem
    from app.invoices.pdf_sample import SAMPLE_SELLER
    from app.invoices.storage import get_storage
    from app.tax.calculate import LineIn, compute

    started = time.perf_counter()
    rnd = random.Random(seed)
    raw = db.session.connection().connection.dbapi_connection
    cur = raw.cursor()
    start_day = datetime(2025, 1, 2, 8, 0, tzinfo=timezone.utc)
    invoice_rows, line_rows, ids, numbers = [], [], [], []
    for i in range(total):
        ident, number = uuid.uuid4(), f"INV-2025-{i + 1:06d}"
        at = start_day + timedelta(minutes=50 * i, seconds=rnd.randint(0, 59))
        name = rnd.choice(BUYER_NAMES)
        buyer = {"name": name, "email": f"buyer{i}@example.com", "tax_id": None,
                 "is_business": False,
                 "address": {"name": name, "line1": f"{i % 500 + 1} Market Street",
                             "postal_code": f"{10000 + i % 89999}", "city": "Berlin",
                             "country": "DE"}}
        specs = []
        for position in range(rnd.randint(1, 5)):
            rate, category = rnd.choice(RATES)
            specs.append((position + 1, rnd.choice(ITEMS), rnd.randint(1, 4),
                          rnd.randint(199, 49_999), rate, category))
        totals = compute([LineIn(q, u, r) for _, _, q, u, r, _ in specs], inclusive=False)
        for (position, item, qty, unit, rate, category), out in zip(specs, totals.lines):
            line_rows.append((uuid.uuid4(), ident, position, item, None, None, qty, unit,
                              category, rate, out.net, out.tax, out.gross))
        status = rnd.choice(["finalised", "sent", "sent", "paid", "paid", "paid"])
        issue = at.date()
        invoice_rows.append((
            ident, "invoice", "INV", number, status, None, None, None, "EUR", False, False,
            buyer, SAMPLE_SELLER, "", totals.subtotal, totals.tax, totals.total, issue,
            issue + timedelta(days=14), "ready", f"INV/{number}.pdf", None, at, at, at,
            at + timedelta(hours=1) if status in ("sent", "paid") else None,
            at + timedelta(days=7) if status == "paid" else None, None))
        ids.append(str(ident))
        numbers.append(number)
    counts = {"invoices": _copy(cur, "invoices", [
        "id", "kind", "series", "number", "status", "customer_id", "order_id",
        "credit_note_for_id", "currency", "tax_inclusive", "reverse_charge", "buyer", "seller",
        "notes", "subtotal_amount", "tax_amount", "total_amount", "issue_date", "due_date",
        "pdf_status", "pdf_path", "last_reminder_at", "created_at", "updated_at",
        "finalised_at", "sent_at", "paid_at", "cancelled_at"], invoice_rows)}
    counts["invoice_lines"] = _copy(cur, "invoice_lines", [
        "id", "invoice_id", "position", "description", "sku", "product_id", "quantity",
        "unit_amount", "tax_category", "tax_rate", "net_amount", "tax_amount", "gross_amount"],
        line_rows)
    db.session.commit()
    inserted = time.perf_counter() - started

    # PDFs: the first ``distinct`` rendered from their rows, the rest copies of them.
    t = time.perf_counter()
    rendered = []
    for ident in ids[:distinct]:
        rendered.append(pdf.render(documents.load_for_render(ident)))
        db.session.remove()
    render_seconds = time.perf_counter() - t
    t = time.perf_counter()
    root = get_storage(current_app).root / "INV"
    root.mkdir(parents=True, exist_ok=True)
    stored_bytes = 0
    for i, number in enumerate(numbers):
        data = rendered[i % distinct]
        (root / f"{number}.pdf").write_bytes(data)
        stored_bytes += len(data)
    write_seconds = time.perf_counter() - t

    exports = {}
    for label, selection in (("small", ids[:small]), ("large", ids)):
        export = InvoiceExport(id=uuid.uuid4(), requested_by="bench", total=len(selection))
        db.session.add(export)
        db.session.flush()
        db.session.execute(insert(InvoiceExportItem), [
            {"export_id": export.id, "position": n, "invoice_id": uuid.UUID(str(i))}
            for n, i in enumerate(selection)])
        exports[label] = str(export.id)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE invoices, invoice_lines, invoice_exports"))
    return {"counts": counts, "exports": exports, "sizes": {"small": small, "large": total},
            "distinct_pdfs": distinct, "pdf_bytes_median": sorted(map(len, rendered))[distinct // 2],
            "stored_bytes": stored_bytes, "insert_seconds": round(inserted, 2),
            "render_seconds": round(render_seconds, 2), "write_seconds": round(write_seconds, 2),
            "seconds": round(time.perf_counter() - started, 2)}


def zip_once(export_id: str, profile: str | None = None) -> dict:
    """One ``exports.build_zip`` in this (fresh) process: wall time and peak RSS growth
    (VmHWM reset to the current RSS just before the call, read just after). Also counted,
    without changing the app: SQL statements sent, and the time of the final copy of the
    archive into storage (``save_file``). ``profile="tracemalloc"``: the largest live
    Python allocations when the archive is about to write its central directory (the
    end of the job, where memory peaks)."""
    import zipfile

    from sqlalchemy import event

    from app.invoices import exports
    from app.invoices.export_models import InvoiceExport
    from app.invoices.storage import get_storage

    ident = uuid.UUID(export_id)
    db.session.execute(update(InvoiceExport).where(InvoiceExport.id == ident)
                       .values(status="pending", done=0, file_key=None, finished_at=None))
    db.session.commit()
    db.session.remove()
    storage = get_storage(current_app)
    statements = [0]
    event.listen(db.engine, "before_cursor_execute",
                 lambda *a: statements.__setitem__(0, statements[0] + 1))
    copy = [0.0]
    save_file = storage.save_file

    def timed_save_file(key, stream):
        t = time.perf_counter()
        try:
            return save_file(key, stream)
        finally:
            copy[0] += time.perf_counter() - t
    storage.save_file = timed_save_file  # instance attribute: the app's class is untouched
    snapshot = {}
    if profile:
        import tracemalloc

        close = zipfile.ZipFile.close

        def close_with_snapshot(self):
            if self.mode == "w" and "snap" not in snapshot:
                snapshot["snap"] = tracemalloc.take_snapshot()
                snapshot["traced"] = tracemalloc.get_traced_memory()
            return close(self)
        zipfile.ZipFile.close = close_with_snapshot
        tracemalloc.start(1)
    gc.collect()
    reset = reset_peak_rss()
    before = proc_status()
    t = time.perf_counter()
    key = exports.build_zip(export_id)
    seconds = time.perf_counter() - t
    after = proc_status()
    top = None
    if profile:
        import tracemalloc

        tracemalloc.stop()
        current, peak = snapshot["traced"]
        top = {"traced_kib": current // 1024, "traced_peak_kib": peak // 1024,
               "top": [f"{s.size // 1024:6d} KiB in {s.count:6d} blocks: {s.traceback[0]}"
                       for s in snapshot["snap"].statistics("lineno")[:10]]}
    path = storage.path(key)
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        entries = len(archive.infolist())
    path.unlink()  # keep the disk use of repeated runs bounded
    base_hwm = before["VmRSS"] if reset else before["VmHWM"]
    return {"seconds": seconds, "copy_seconds": copy[0], "statements": statements[0],
            "rss_before_kib": before["VmRSS"], "hwm_before_kib": before["VmHWM"],
            "hwm_after_kib": after["VmHWM"], "rss_after_kib": after["VmRSS"],
            "growth_kib": after["VmHWM"] - base_hwm, "hwm_reset": reset, "zip_bytes": size,
            "entries": entries, "profile": top}
