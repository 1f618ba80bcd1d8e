"""Invoice PDFs per second through the job path (``documents.generate``: database read of
the invoice and its lines, ReportLab render, store, status update and commit) against the
same document rendered directly with ReportLab (``pdf.render`` of the same invoice built in
memory: no database, no storage), both in one child process, interleaved."""
from bench import invoice_data
from bench.inproc import InProcessComparison, fmt

DESCRIPTION = ("invoice PDFs/s through documents.generate (DB read + render + store) vs "
               "pdf.render of the same invoice in memory")
GOAL = 0.8
LINES = 10


def run(ctx):
    from bench.invoice_seed import JOB_NUMBER

    info = invoice_data.documents(ctx)
    r = invoice_data.in_app(ctx, "measure_pdf_job", invoice_id=info["ids"][JOB_NUMBER],
                            number=JOB_NUMBER, lines=LINES, **invoice_data.timing(ctx))
    for i, (a, b) in enumerate(zip(r["a"], r["b"]), 1):
        ctx.out(f"    pair {i}/{len(r['a'])}: {a['per_s']:7.2f} / {b['per_s']:7.2f} PDFs/s "
                f"= {a['per_s'] / b['per_s']:.3f}")
    bd = r["breakdown"]
    return InProcessComparison(
        label="invoice_pdf_job", ratios=[a["per_s"] / b["per_s"] for a, b in zip(r["a"], r["b"])],
        goal=GOAL, unit="ratio job/direct (PDFs/s)",
        sides=[f"A job documents.generate ({LINES} lines): PDFs/s "
               f"{fmt(x['per_s'] for x in r['a'])}  median "
               f"{fmt((x['median_ms'] for x in r['a']), '.2f')} ms/PDF",
               f"B direct pdf.render (same invoice in memory): PDFs/s "
               f"{fmt(x['per_s'] for x in r['b'])}  median "
               f"{fmt((x['median_ms'] for x in r['b']), '.2f')} ms/PDF"],
        notes=[f"same document: stored PDF {'==' if r['identical'] else '!='} direct render "
               f"({r['pdf_bytes']:,} bytes)",
               f"job steps alone (median ms): load {bd['load_ms']}, render {bd['render_ms']}, "
               f"store (temp file + fsync + rename + dir fsync) {bd['store_ms']}, ready flag "
               f"{bd['update_commit_ms']} (committed without waiting for the WAL flush; the "
               f"server's synchronous_commit={r['synchronous_commit']})",
               "one child process, pinned like the app server; runs of "
               f"{ctx.settings.duration:g}s after a {ctx.settings.warmup:g}s warm-up per side"])
