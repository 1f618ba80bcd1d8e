"""Data sets and child-process plumbing of the invoice benchmarks (invoice_pdf_job,
invoice_lines_scaling, invoice_zip_export). Everything is measured in-process in a child
started with the app's environment (bench/inproc.py, bench/invoice_seed.py); seeding is
done once per run, printed on its own line, and never part of a measurement.

Invoice files go to their own storage directories under the run's work directory
(``INVOICE_STORAGE_DIR``), not to the app server's: the ZIP data set (~10,000 PDFs, ~0.5 GB)
is deleted when its benchmark ends.
"""
from __future__ import annotations

import shutil
import time

from bench.inproc import run_in_app


def storage_env(ctx, name: str = "invoice-storage") -> dict:
    return {"INVOICE_STORAGE_DIR": str(ctx.workdir / name)}


def in_app(ctx, func: str, *, storage: str = "invoice-storage", **kwargs):
    return run_in_app(ctx, f"bench.invoice_seed:{func}", env=storage_env(ctx, storage),
                      **kwargs)


def documents(ctx) -> dict:
    """The sample invoices of the PDF benchmarks as rows (seeded once per run)."""
    def build():
        started = time.perf_counter()
        info = in_app(ctx, "seed_documents")
        ctx.out(f"  seeded the sample invoices in {time.perf_counter() - started:.1f}s "
                f"(excluded from measurements): 1 x 10 lines, 1 x 100 lines, 10 x 10 lines")
        return info
    return ctx.shared("invoice_documents", build)


def timing(ctx) -> dict:
    s = ctx.settings
    return {"pairs": s.pairs, "duration": s.duration, "warmup": s.warmup}


ZIP_STORAGE = "invoice-zip-storage"


def zip_dataset(ctx, total: int, small: int, distinct: int) -> dict:
    def build():
        started = time.perf_counter()
        ctx.out(f"  seeding {total:,} finalised invoices (COPY) with stored PDFs ...")
        info = in_app(ctx, "seed_zip", storage=ZIP_STORAGE, total=total, small=small,
                      distinct=distinct)
        c = info["counts"]
        ctx.out(f"  seeded in {time.perf_counter() - started:.1f}s (excluded from "
                f"measurements; COPY {info['insert_seconds']}s, {distinct} PDFs rendered in "
                f"{info['render_seconds']}s, {c['invoices']:,} PDF files written in "
                f"{info['write_seconds']}s, {info['stored_bytes'] / 2**20:.0f} MiB): "
                f"{c['invoices']:,} invoices, {c['invoice_lines']:,} lines")
        return info
    return ctx.shared("invoice_zip", build)


def drop_zip_storage(ctx) -> None:
    shutil.rmtree(ctx.workdir / ZIP_STORAGE, ignore_errors=True)
