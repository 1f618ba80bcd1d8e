"""The same middle page asked for by number with the exact total (page=97 of 194,
include_total=true), uncached: what an offset walk of ~4,800 rows and a count of every
active product add to products_page. Informational: the goal applies to cursor pages."""
from bench import catalog_data

DESCRIPTION = "GET /api/v1/products?page_size=50&page=97&include_total=true, uncached (no goal)"
GOAL = None


def run(ctx):
    info = catalog_data.dataset(ctx)
    target = catalog_data.uncached_numbered_page(ctx, info)
    return ctx.compare(target, ctx.bare_target(), goal=GOAL)
