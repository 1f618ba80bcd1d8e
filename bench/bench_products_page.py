"""A 50-item product page from the middle of 10,000 products, reached by cursor as a
client paging through the catalogue does, uncached (every request is a cache miss: page
query, serialisation, cache store), against the bare baseline."""
from bench import catalog_data

DESCRIPTION = "GET /api/v1/products?page_size=50&cursor=..., middle page, uncached, vs bare"
GOAL = 0.2


def run(ctx):
    info = catalog_data.dataset(ctx)
    target = catalog_data.uncached_products_page(ctx, info)
    return ctx.compare(target, ctx.bare_target(), goal=GOAL)
