"""Keyset pagination: p50 latency of the orders page 99,950 rows deep (the cursor the API
would hand out there, computed from the data) over the p50 latency of page 1, one
connection (service time, no queueing). Notes: EXPLAIN ANALYZE of the app's own SQL at
several depths, against the same page fetched with OFFSET and with a row-value keyset.

With 100,000 orders this page is the last one: almost no row is older than the cursor,
and PostgreSQL may pick a plan that only works because little is left. orders_mid_page
measures a cursor in the middle (50,000 rows newer, 50,000 older), where a real deep page
of a larger table would be."""
from bench import catalog_data
from bench.context import LATENCY

DESCRIPTION = "orders page 99,950 rows deep (last page) vs page 1: p50 latency ratio"
GOAL = 1.5
DEPTHS = [0, catalog_data.MID, catalog_data.DEEP]


def run(ctx):
    return measure(ctx, catalog_data.DEEP, "deep_cursor", GOAL, explain=True)


def measure(ctx, depth: int, cursor_key: str, goal: float, explain: bool):
    info = catalog_data.dataset(ctx)
    deep = catalog_data.orders_target(
        ctx, info, f"GET /api/v1/orders?limit=50&cursor=<{depth:,} rows deep>",
        cursor=info[cursor_key])
    first = catalog_data.orders_target(ctx, info, "GET /api/v1/orders?limit=50 (page 1)")
    cmp = ctx.compare(deep, first, goal=goal, metric=LATENCY, connections=1)
    if explain:
        cmp.notes.extend(explain_notes(ctx))
    return cmp


def explain_notes(ctx) -> list[str]:
    notes = ["SQL, EXPLAIN ANALYZE execution time (median of 5) of the orders statement "
             "exactly as list_orders sends it (+ its selectin lines statement), vs the same "
             "page with OFFSET, and with a row-value keyset (created_at, id) < (...):"]
    for r in ctx.in_app("bench.seed:explain_orders", depths=DEPTHS):
        row_value = ("" if r["row_value_ms"] is None
                     else f"   |   row-value keyset {r['row_value_ms']:7.3f} ms")
        notes.append(f"  depth {r['depth']:>6,}: app keyset {r['keyset_ms']:7.3f} ms "
                     f"(+ lines {r['lines_ms']:.3f} ms)   |   OFFSET {r['depth']}: "
                     f"{r['offset_ms']:7.3f} ms{row_value}")
        notes.append(f"      app keyset plan: {r['keyset_plan']}")
        notes.append(f"      OFFSET plan:     {r['offset_plan']}")
        if r["row_value_plan"]:
            notes.append(f"      row-value plan:  {r['row_value_plan']}")
    return notes
