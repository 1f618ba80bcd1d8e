"""The same 50-item product page served from the list cache (one URL, repeated): what a
popular page costs, against the bare baseline. Informational: the goal applies to the
uncached page (products_page)."""
from bench import catalog_data

DESCRIPTION = "GET /api/v1/products?page_size=50&cursor=..., middle page, cache hits (no goal)"
GOAL = None


def run(ctx):
    info = catalog_data.dataset(ctx)
    target = catalog_data.cached_products_page(ctx, info)
    return ctx.compare(target, ctx.bare_target(), goal=GOAL)
