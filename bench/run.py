"""``python -m bench.run [names...]``: run the benchmarks (modules bench/bench_<name>.py with a
``run(ctx)`` returning a ``Comparison``) and print one ratio line each."""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import time
import traceback
from pathlib import Path

from bench.context import Context, Settings

PREFIX = "bench_"
_BUSY = ("; WARNING: other processes are loading this machine, absolute req/s are "
         "depressed and noisy, the interleaved ratio less so")


def discover() -> dict[str, str]:
    """name -> module path, for every bench/bench_<name>.py."""
    here = Path(__file__).resolve().parent
    return {m.name[len(PREFIX):]: f"bench.{m.name}"
            for m in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name)
            if m.name.startswith(PREFIX)}


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    p.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    p.add_argument("--list", action="store_true", help="list benchmarks and exit")
    p.add_argument("--pairs", type=int, help="A/B pairs (env BENCH_PAIRS, default 5)")
    p.add_argument("--duration", type=float, help="seconds per run (BENCH_DURATION, 3)")
    p.add_argument("--warmup", type=float, help="warm-up seconds per server (BENCH_WARMUP, 3)")
    p.add_argument("--connections", type=int, help="wrk connections (BENCH_CONNECTIONS, 16)")
    p.add_argument("--workers", type=int,
                   help="WEB_CONCURRENCY for both servers (BENCH_WEB_CONCURRENCY, 1)")
    p.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 2 pairs of 1 s, 1 s warm-up (numbers are noisy)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    return p.parse_args(argv)


def settings_from(args) -> Settings:
    s = Settings()
    if args.quick:
        s.pairs, s.duration, s.warmup = 2, 1.0, 1.0
    for attr, value in (("pairs", args.pairs), ("duration", args.duration),
                        ("warmup", args.warmup), ("connections", args.connections),
                        ("web_concurrency", args.workers)):
        if value is not None:
            setattr(s, attr, value)
    if args.no_pin:
        s.pin = False
    if s.pairs < 1 or s.pairs > 100 or s.duration < 1 or s.duration > 120:
        raise SystemExit("pairs must be 1..100 and duration 1..120 s")
    return s


def _p50(runs) -> str:
    vals = sorted(r.p50_ms for r in runs if r.p50_ms is not None)
    return f"{vals[len(vals) // 2]:.2f} ms" if vals else "n/a"


def report(name: str, cmp, out=print) -> None:
    if hasattr(cmp, "report_lines"):  # in-process benchmarks (bench/inproc.py) print themselves
        for line in cmp.report_lines(name):
            out(line)
        return
    st = cmp.stats
    latency = getattr(cmp, "metric", "throughput") == "latency"
    verdict = "" if cmp.goal is None else ("  OK" if cmp.meets_goal else
                                           ("  ABOVE GOAL" if latency else "  BELOW GOAL"))
    goal = "" if cmp.goal is None else f"  goal {'<=' if latency else '>='} {cmp.goal:g}"
    kind = "p50 latency ratio A/B" if latency else "ratio"
    out(f"{name}: {kind} {st['median']:.3f} (median of {st['n']}; min {st['min']:.3f}, "
        f"max {st['max']:.3f}){goal}{verdict}")
    for side, runs in (("A", cmp.a_runs), ("B", cmp.b_runs)):
        target = cmp.a if side == "A" else cmp.b
        rps = " ".join(f"{r.rps:.0f}" for r in runs)
        extra = ""
        if latency:
            extra = "  p50 [" + " ".join(f"{r.p50_ms:.2f}" for r in runs) + "] ms"
        out(f"  {side} {target.label}: req/s [{rps}]  p50 latency {_p50(runs)} (median of runs)"
            f"{extra}")
    conns = getattr(cmp, "connections", None)
    if conns is not None:
        out(f"  (wrk -c{conns})")
    for line in getattr(cmp, "notes", ()):
        out(f"  {line}")


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    available = discover()
    if args.list:
        for name, mod in available.items():
            print(f"{name}: {getattr(importlib.import_module(mod), 'DESCRIPTION', '')}")
        return 0
    unknown = [n for n in args.names if n not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}")
        return 2
    names = args.names or list(available)

    def _terminate(signum, _frame):
        raise SystemExit(128 + signum)  # unwinds through the finally below

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)

    ctx = Context(settings_from(args), out=lambda line: print(line, flush=True))
    failures, missed = 0, 0
    try:
        for line in ctx.describe():
            print(line, flush=True)
        for name in names:
            print(f"-- {name}", flush=True)
            started, load_before = time.monotonic(), os.getloadavg()[0]
            try:
                cmp = importlib.import_module(available[name]).run(ctx)
            except Exception:  # noqa: BLE001 - report and go on with the next benchmark
                failures += 1
                print(f"{name}: ERROR\n{traceback.format_exc()}", flush=True)
                continue
            report(name, cmp)
            missed += cmp.meets_goal is False
            load_after = os.getloadavg()[0]
            busy = max(load_before, load_after) > (os.cpu_count() or 1)
            print(f"  ({time.monotonic() - started:.0f}s; 1-min load average {load_before:.1f} "
                  f"before, {load_after:.1f} after{_BUSY if busy else ''})", flush=True)
    finally:
        ctx.close()
    if failures:
        return 2
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
