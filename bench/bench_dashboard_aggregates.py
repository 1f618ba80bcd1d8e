"""Dashboard aggregates on 1,000,000 orders, as a ratio to COUNT(*) over the same table
(see bench/dashboard.py for the data and what is measured)."""
from __future__ import annotations

import os

from bench.inproc import LOWER, InProcessComparison, fmt, run_in_app

DESCRIPTION = "dashboard aggregates (rollup + live days) vs SELECT COUNT(*) FROM orders, 1M orders"
# BENCH_DASHBOARD_ORDERS: a smaller set for a smoke run.
ORDERS = int(os.environ.get("BENCH_DASHBOARD_ORDERS") or 1_000_000)


def dashboard_data(ctx) -> dict:
    return ctx.shared("dashboard_1m", lambda: run_in_app(
        ctx, "bench.dashboard:seed", timeout=3600, pin=False, orders=ORDERS))


def _ratios(result) -> list[float]:
    # time(A) / time(B) per pair = rate(B) / rate(A)
    return [b["per_s"] / a["per_s"] for a, b in zip(result["a"], result["b"])]


def run(ctx):
    seeded = dashboard_data(ctx)
    ctx.out(f"  seeded {seeded['orders']:,} orders in {seeded['seconds']} s (outside measurement)")
    s = ctx.settings
    got = run_in_app(ctx, "bench.dashboard:measure", pairs=s.pairs, duration=s.duration,
                     warmup=s.warmup)
    served, live = got["served"], got["live"]
    check = InProcessComparison(
        "without the rollup (90 days from the source tables) / COUNT(*)", _ratios(live), None,
        better=LOWER, unit="time ratio",
        sides=[f"live 90 days ms {fmt([r['median_ms'] for r in live['a']])}",
               f"COUNT(*) ms     {fmt([r['median_ms'] for r in live['b']])}"])
    return InProcessComparison(
        "dashboard aggregates / COUNT(*)", _ratios(served), None, better=LOWER,
        unit="time ratio",
        sides=[f"dashboard ms {fmt([r['median_ms'] for r in served['a']])}",
               f"COUNT(*) ms  {fmt([r['median_ms'] for r in served['b']])}"],
        checks=[check],
        notes=[f"{got['orders']:,} orders; filling the rollup for 400 closed days took "
               f"{got['rollup_fill_seconds']} s once (outside measurement)"])
