"""``exports.build_zip`` over 10,000 invoices against 1,000: peak RSS growth and wall time,
each measured in a fresh child process (VmHWM reset to the current RSS just before the job,
read just after), interleaved pairs of runs.

Configuration measured: the realistic one. Invoices are finalised and their PDF job has run
(``pdf_status='ready'``), so the export streams stored files into the ZIP (64 KiB blocks)
and then copies the archive into storage. To keep seeding short, 20 invoices are rendered
for real and every other invoice's stored PDF is a copy of one of them (same size and
structure; the file is not the invoice's own document)."""
from bench import invoice_data
from bench.inproc import LOWER, InProcessComparison, fmt

DESCRIPTION = ("exports.build_zip of 10,000 vs 1,000 stored invoice PDFs: peak RSS growth "
               "and time, fresh process each")
RSS_GOAL = 1.5
TIME_GOAL = 12.0
LARGE, SMALL, DISTINCT = 10_000, 1_000, 20


def _once(ctx, export_id, **kw):
    return invoice_data.in_app(ctx, "zip_once", storage=invoice_data.ZIP_STORAGE,
                               export_id=export_id, **kw)


def run(ctx):
    try:
        return _run(ctx)
    finally:
        invoice_data.drop_zip_storage(ctx)


def _run(ctx):
    info = invoice_data.zip_dataset(ctx, LARGE, SMALL, DISTINCT)
    exports = info["exports"]
    # Warm-up (discarded): the page cache and PostgreSQL's buffers see every file and row once.
    _once(ctx, exports["large"])
    runs = {"large": [], "small": []}
    pairs = ctx.settings.pairs
    for i in range(pairs):
        order = ("large", "small") if i % 2 == 0 else ("small", "large")
        for size in order:
            runs[size].append(_once(ctx, exports[size]))
        big, sm = runs["large"][-1], runs["small"][-1]
        ctx.out(f"    pair {i + 1}/{pairs}: RSS growth {big['growth_kib'] / 1024:6.1f} / "
                f"{sm['growth_kib'] / 1024:6.1f} MiB = {big['growth_kib'] / sm['growth_kib']:.2f}"
                f"; time {big['seconds']:6.2f} / {sm['seconds']:5.2f} s = "
                f"{big['seconds'] / sm['seconds']:.2f}")
    big, sm = runs["large"], runs["small"]
    for r, n in ((big[0], LARGE), (sm[0], SMALL)):
        if r["entries"] != n:
            raise RuntimeError(f"the ZIP of {n} invoices has {r['entries']} entries")
    rss = InProcessComparison(
        label="invoice_zip_export", ratios=[a["growth_kib"] / b["growth_kib"]
                                            for a, b in zip(big, sm)],
        goal=RSS_GOAL, better=LOWER, unit="peak RSS growth ratio 10k/1k",
        sides=[f"A {LARGE:,} invoices: RSS growth MiB "
               f"{fmt(x['growth_kib'] / 1024 for x in big)}  (RSS before "
               f"{big[0]['rss_before_kib'] / 1024:.0f} MiB)",
               f"B {SMALL:,} invoices: RSS growth MiB "
               f"{fmt(x['growth_kib'] / 1024 for x in sm)}  (RSS before "
               f"{sm[0]['rss_before_kib'] / 1024:.0f} MiB)"])
    timing = InProcessComparison(
        label="time", ratios=[a["seconds"] / b["seconds"] for a, b in zip(big, sm)],
        goal=TIME_GOAL, better=LOWER, unit="time ratio 10k/1k",
        sides=[f"A {LARGE:,} invoices: s {fmt((x['seconds'] for x in big), '.2f')}  "
               f"({big[0]['zip_bytes'] / 2**20:.0f} MiB ZIP, "
               f"{LARGE / sorted(x['seconds'] for x in big)[len(big) // 2]:.0f} PDFs/s)",
               f"B {SMALL:,} invoices: s {fmt((x['seconds'] for x in sm), '.2f')}  "
               f"({sm[0]['zip_bytes'] / 2**20:.0f} MiB ZIP, "
               f"{SMALL / sorted(x['seconds'] for x in sm)[len(sm) // 2]:.0f} PDFs/s)"])
    rss.checks.append(timing)
    rss.notes.append(f"stored PDFs (pdf_status=ready) streamed into the archive: {DISTINCT} "
                     f"rendered for real, copied to the other files (median "
                     f"{info['pdf_bytes_median']:,} bytes); one fresh process per run, peak RSS "
                     f"= VmHWM after the job - VmRSS just before (VmHWM reset "
                     f"{'yes' if big[0]['hwm_reset'] else 'NO: growth is from the earlier peak'})")
    med = lambda runs, k: sorted(x[k] for x in runs)[len(runs) // 2]  # noqa: E731
    rss.notes.append(f"SQL statements per run: {LARGE:,} -> {big[0]['statements']:,}, "
                     f"{SMALL:,} -> {sm[0]['statements']:,}; final copy of the archive into "
                     f"storage (save_file, median): {med(big, 'copy_seconds'):.2f} s / "
                     f"{med(sm, 'copy_seconds'):.2f} s")
    if rss.own_goal_met is False and pairs >= 3:  # diagnosis (~1 min), skipped by --quick
        for label, key in (("10k", "large"), ("1k", "small")):
            prof = _once(ctx, exports[key], profile="tracemalloc")["profile"]
            rss.notes.append(f"tracemalloc {label} (diagnosis run): live when the archive "
                             f"starts writing its central directory {prof['traced_kib']} KiB "
                             f"(traced peak {prof['traced_peak_kib']} KiB); largest:")
            rss.notes.extend(f"  {line}" for line in prof["top"][:8])
    return rss
