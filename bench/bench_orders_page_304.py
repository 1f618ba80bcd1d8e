"""The first 50-order page for a partner key asked with its own ETag in If-None-Match
(a partner polling for changes): authentication, the page statement and the validator of
its rows, no JSON rendered, answered 304; against the bare baseline."""
from bench import catalog_data

DESCRIPTION = "GET /api/v1/orders?limit=50 (partner key), If-None-Match -> 304"
GOAL = 0.5


def run(ctx):
    info = catalog_data.dataset(ctx)
    target = catalog_data.orders_target(ctx, info, "GET /api/v1/orders?limit=50 (partner key)")
    return ctx.compare(catalog_data.revalidated(target), ctx.bare_target(), goal=GOAL)
