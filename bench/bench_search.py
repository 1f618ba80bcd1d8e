"""Full-text product search (ranked, first page of 20) for terms that each match ~4% of
10,000 products, uncached, against the bare baseline."""
from bench import catalog_data

DESCRIPTION = "GET /api/v1/products?q=<term>, uncached, vs bare Flask hello"
GOAL = 0.2


def run(ctx):
    info = catalog_data.dataset(ctx)
    target = catalog_data.uncached_search(ctx, info)
    return ctx.compare(target, ctx.bare_target(), goal=GOAL)
