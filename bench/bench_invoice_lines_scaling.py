"""One 100-line invoice against ten 10-line invoices: time per 100-line PDF over time per
ten 10-line PDFs (lower is better), measured with ``pdf.render`` of the invoices built in
memory (the render alone: no fixed per-invoice database or storage cost to dilute a
super-linear layout); the same ratio through the job path (``documents.generate``) is
printed as a second check."""
from bench import invoice_data
from bench.inproc import LOWER, InProcessComparison, fmt

DESCRIPTION = "render time of one 100-line invoice / ten 10-line invoices (and via the job)"
GOAL = 1.2


def _comparison(label, r, unit):
    ratios = [b["per_s"] / a["per_s"] for a, b in zip(r["a"], r["b"])]  # time(A) / time(B)
    return InProcessComparison(
        label=label, ratios=ratios, goal=GOAL, better=LOWER, unit=unit,
        sides=[f"A one 100-line invoice: ms per invoice "
               f"{fmt((1000 / x['per_s'] for x in r['a']), '.1f')}",
               f"B ten 10-line invoices: ms per ten "
               f"{fmt((1000 / x['per_s'] for x in r['b']), '.1f')}"])


def run(ctx):
    from bench.invoice_seed import BIG_NUMBER, SMALL_NUMBERS

    info = invoice_data.documents(ctx)
    r = invoice_data.in_app(ctx, "measure_lines_scaling", big_id=info["ids"][BIG_NUMBER],
                            small_ids=[info["ids"][n] for n in SMALL_NUMBERS],
                            **invoice_data.timing(ctx))
    for kind in ("render", "job"):
        for i, (a, b) in enumerate(zip(r[kind]["a"], r[kind]["b"]), 1):
            ctx.out(f"    {kind} pair {i}/{len(r[kind]['a'])}: {1000 / a['per_s']:7.1f} / "
                    f"{1000 / b['per_s']:7.1f} ms = {b['per_s'] / a['per_s']:.3f}")
    result = _comparison("invoice_lines_scaling", r["render"],
                         "time ratio 100-line / ten 10-line (pdf.render)")
    result.checks.append(_comparison("via the job", r["job"],
                                     "time ratio (documents.generate)"))
    result.notes.append(f"pages: 100-line invoice {r['pages']['big']} "
                        f"({r['bytes']['big']:,} bytes), 10-line invoice {r['pages']['small']} "
                        f"({r['bytes']['small']:,} bytes)")
    return result
