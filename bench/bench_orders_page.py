"""The first 50-order page of 100,000 for a partner API key with orders:read (never
cached), against the bare baseline."""
from bench import catalog_data

DESCRIPTION = "GET /api/v1/orders?limit=50 (partner key, orders:read) vs bare Flask hello"
GOAL = 0.2


def run(ctx):
    info = catalog_data.dataset(ctx)
    target = catalog_data.orders_target(ctx, info, "GET /api/v1/orders?limit=50 (partner key)")
    return ctx.compare(target, ctx.bare_target(), goal=GOAL)
