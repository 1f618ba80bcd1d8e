"""Small statistics helpers (no numpy needed)."""
from __future__ import annotations

import statistics


def median(values):
    return statistics.median(values)


def summary(values) -> dict:
    values = list(values)
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}
