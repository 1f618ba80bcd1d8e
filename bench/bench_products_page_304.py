"""The uncached 50-item middle product page asked with its own ETag in If-None-Match (a
client or proxy revalidating what it holds): the page statement and the validator of its
rows, no JSON rendered, answered 304; against the bare baseline."""
from bench import catalog_data
from bench.load import Target

DESCRIPTION = "GET /api/v1/products?page_size=50&cursor=..., If-None-Match -> 304, uncached"
GOAL = 0.5


def run(ctx):
    info = catalog_data.dataset(ctx)
    app = catalog_data.busting_server(ctx)
    path = catalog_data.middle_cursor_path(app, info)
    target = Target(f"GET {path[:60]}... (middle page by cursor, no cache)", app.url(path))
    return ctx.compare(catalog_data.revalidated(target), ctx.bare_target(), goal=GOAL)
