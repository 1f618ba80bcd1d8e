"""In-process benchmarks: a function measured inside an app context in a child process
(no HTTP server, no wrk), with the same discipline as ``ctx.compare``: a discarded warm-up,
then interleaved A/B pairs (alternating which side runs first), a ratio per pair, and the
median/min/max of the ratios.

- ``timed_pairs(a, b, pairs, duration, warmup)`` runs *inside* the child: each side is
  called repeatedly for ``duration`` seconds per run; returns per-run rates and medians.
- ``run_in_app(ctx, "pkg.module:function", env=..., **kwargs)`` starts the child
  (``python -m bench.inapp``) through ``ctx.reaper`` (own process group, stopped with the
  run), pinned like the app server when pinning is on, and returns the function's JSON.
- ``InProcessComparison`` is what such a benchmark's ``run(ctx)`` returns; bench.run prints
  it through its ``report_lines(name)``.
"""
from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from bench.stats import summary

HIGHER, LOWER = "higher", "lower"  # which way a ratio is better (goal is a min / a max)


# -- inside the child ---------------------------------------------------------------------------
def _run(fn, duration: float, min_calls: int = 3) -> dict:
    """Call ``fn`` until ``duration`` seconds have passed (at least ``min_calls`` times)."""
    times = []
    started = time.perf_counter()
    while True:
        t = time.perf_counter()
        fn()
        now = time.perf_counter()
        times.append(now - t)
        if now - started >= duration and len(times) >= min_calls:
            break
    elapsed = time.perf_counter() - started
    return {"calls": len(times), "seconds": elapsed, "per_s": len(times) / elapsed,
            "median_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000}


def timed_pairs(a, b, *, pairs: int, duration: float, warmup: float, out=None) -> dict:
    """Warm both up (discarded), then ``pairs`` interleaved runs (ABBA...): per run, the
    calls per second and the median milliseconds per call of each side."""
    gc.collect()
    for fn in (a, b):
        _run(fn, warmup, min_calls=2)
    result = {"a": [], "b": []}
    for i in range(pairs):
        order = (("a", a), ("b", b)) if i % 2 == 0 else (("b", b), ("a", a))
        for side, fn in order:
            gc.collect()
            result[side].append(_run(fn, duration))
        if out:
            out(f"pair {i + 1}/{pairs}: {result['a'][-1]['per_s']:.2f} / "
                f"{result['b'][-1]['per_s']:.2f} per s")
    return result


def proc_status() -> dict:
    """VmRSS / VmHWM of this process, in KiB (Linux /proc/self/status)."""
    values = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


# -- in the bench process -----------------------------------------------------------------------
def run_in_app(ctx, func: str, *, env: dict | None = None, timeout: float = 900,
               pin: bool = True, **kwargs):
    """``ctx.in_app`` with extra environment, process-group cleanup and optional CPU pinning
    (the CPU the app servers use, so a measurement never shares a core with wrk)."""
    ctx.prepare_database()
    cmd = [sys.executable, "-m", "bench.inapp", func, json.dumps(kwargs)]
    if pin and ctx.server_cpus is not None:
        cmd = ["taskset", "-c", ctx.server_cpus, *cmd]
    from bench.context import ROOT

    proc = ctx.reaper.popen(f"inapp {func}", cmd, cwd=ROOT, env=ctx.app_env(**(env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        ctx.reaper.stop(proc)
    if proc.returncode != 0:
        raise RuntimeError(f"in-app {func} failed (exit {proc.returncode}):\n{stderr[-4000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


@dataclass
class InProcessComparison:
    """Ratios per pair (``ratios``), a goal in the direction ``better`` ("higher": the goal
    is a minimum; "lower": a maximum), the per-run lines of each side, extra checks
    (further ratios with their own goals, all of which must hold) and notes."""
    label: str
    ratios: list[float]
    goal: float | None
    better: str = HIGHER
    unit: str = "ratio"
    sides: list[str] = field(default_factory=list)  # printed under the result line
    checks: list["InProcessComparison"] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def stats(self) -> dict:
        return summary(self.ratios)

    @property
    def own_goal_met(self) -> bool | None:
        if self.goal is None:
            return None
        median = self.stats["median"]
        return median >= self.goal if self.better == HIGHER else median <= self.goal

    @property
    def meets_goal(self) -> bool | None:
        verdicts = [v for v in [self.own_goal_met, *(c.meets_goal for c in self.checks)]
                    if v is not None]
        return all(verdicts) if verdicts else None

    def _line(self, name: str) -> str:
        st = self.stats
        goal, verdict = "", ""
        if self.goal is not None:
            goal = f"  goal {'>=' if self.better == HIGHER else '<='} {self.goal:g}"
            verdict = "  OK" if self.own_goal_met else (
                "  BELOW GOAL" if self.better == HIGHER else "  ABOVE GOAL")
        return (f"{name}: {self.unit} {st['median']:.3f} (median of {st['n']}; "
                f"min {st['min']:.3f}, max {st['max']:.3f}){goal}{verdict}")

    def report_lines(self, name: str) -> list[str]:
        lines = [self._line(name)]
        lines += [f"  {s}" for s in self.sides]
        for check in self.checks:
            lines.append("  " + check._line(check.label))
            lines += [f"    {s}" for s in check.sides]
        lines += [f"  {n}" for n in self.notes]
        return lines


def fmt(values, spec: str = ".1f") -> str:
    return "[" + " ".join(format(v, spec) for v in values) + "]"
