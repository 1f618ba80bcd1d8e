"""The data set of the catalogue and orders benchmarks, seeded once per run (whichever of
them runs first) and shared, with the targets they load.

10,000 products and 100,000 orders (bench/seed.py, PostgreSQL COPY); seeding time is
printed on its own line and never part of a measurement.

Cache honesty: public product lists are cached in Redis when REDIS_URL is set (never in
the server process). A fixed URL is a cache hit from the second request on,
so the *uncached* targets give every request a distinct cache key by adding
``max_price=<999999999 - n>``: a filter every product passes (prices are < 50,000), so the
SQL does the same work plus one always-true comparison per row, and each request takes
the miss path of production: read the list token, miss, run count + page, serialise,
store. The *cached* targets repeat one URL and measure the hit path.

The uncached targets run on their own app server (same command, same environment); the
cached target runs on one with Redis (BENCH_REDIS_URL, or redis://127.0.0.1:6379/15).
The *revalidated* targets (``revalidated``) send the page's own ETag in If-None-Match,
as a client or proxy holding the page does, and are answered 304.
"""
from __future__ import annotations

import math
import time
import urllib.request

from bench import servers
from bench.load import Target

PRODUCTS = 10_000
ORDERS = 100_000
PAGE_SIZE = 50
DEEP = 99_950  # the page after 99,950 rows: rows 99,951-100,000, a full page of 50
MID = 50_000  # the page after 50,000 rows: as many rows newer as older
MAX_PRICE = 999_999_999  # rules.MAX_AMOUNT - 1


def dataset(ctx) -> dict:
    return ctx.shared("catalog_orders", lambda: _seed(ctx))


def _seed(ctx) -> dict:
    started = time.perf_counter()
    ctx.out(f"  seeding {PRODUCTS:,} products and {ORDERS:,} orders (COPY) ...")
    info = ctx.in_app("bench.seed:seed_catalog_orders", products=PRODUCTS, orders=ORDERS)
    info["deep_cursor"] = ctx.in_app("bench.seed:cursor_at_depth", depth=DEEP)
    info["mid_cursor"] = ctx.in_app("bench.seed:cursor_at_depth", depth=MID)
    out = ctx.flask("apikeys", "create", "--name", "bench orders reader", "--scopes",
                    "orders:read")
    info["orders_key"] = out.strip().splitlines()[-1].strip()
    info["seconds"] = time.perf_counter() - started
    c = info["counts"]
    matches = ", ".join(f"{t} {n}" for t, n in info["search_matches"].items())
    ctx.out(f"  seeded in {info['seconds']:.1f}s (excluded from measurements; COPY "
            f"{info['insert_seconds']}s, VACUUM ANALYZE {info['vacuum_analyze_seconds']}s): "
            f"{c['products']:,} products ({info['active_products']:,} active), "
            f"{c['orders']:,} orders, {c['order_lines']:,} lines, {c['users']:,} customers")
    ctx.out(f"  active products per search term: {matches}")
    return info


def busting_server(ctx) -> servers.Server:
    """A second app server for the cache-busting (uncached) targets."""
    def start():
        ctx.prepare_database()
        return servers.start(ctx.reaper, "app-uncached", ctx.web_command, ctx.app_env(),
                             ctx.workdir, cpus=ctx.server_cpus, ready_path="/healthz")
    return ctx.shared("app_uncached_server", start)


def redis_server(ctx) -> servers.Server:
    """An app server with the Redis list cache (embedded, no page is ever cached)."""
    def start():
        ctx.prepare_database()
        redis_url = ctx.settings.redis_url or "redis://127.0.0.1:6379/15"
        return servers.start(ctx.reaper, "app-redis", ctx.web_command,
                             ctx.app_env(REDIS_URL=redis_url), ctx.workdir,
                             cpus=ctx.server_cpus, ready_path="/healthz")
    return ctx.shared("app_redis_server", start)


def revalidated(target: Target) -> Target:
    """``target`` asked again with its ETag in If-None-Match: the 304 path."""
    request = urllib.request.Request(target.url, headers=target.headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        etag = answer.headers["ETag"]
    status, _ = servers.http_get(target.url, headers={**target.headers, "If-None-Match": etag})
    if status != 304:
        raise RuntimeError(f"{target.url} with its own ETag answered {status}, not 304")
    return Target(target.label + ", revalidated: If-None-Match -> 304", target.url,
                  headers={**target.headers, "If-None-Match": etag})


def middle_page(info) -> int:
    return max(1, math.ceil(info["active_products"] / PAGE_SIZE) // 2)


def products_path(page: int, extra: str = "") -> str:
    return f"/api/v1/products?page_size={PAGE_SIZE}&page={page}{extra}"


def _lua_unique(paths_expr: str, preamble: str = "") -> str:
    """A wrk script whose every request has a distinct max_price (distinct cache key),
    in this run and across runs: a counter restarting at 0 in each run would repeat the
    keys of the previous run, which the server still holds, and measure cache hits."""
    return f"""
local nthreads = 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
end
{preamble}
local n = 0
local base = 0
function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  base = math.random(0, 80000) * 10000
end
function request()
  n = n + 1
  local bust = {MAX_PRICE} - (base + (n % 10000))
  return wrk.format("GET", {paths_expr} .. "&max_price=" .. bust)
end
"""


def middle_cursor_path(server, info) -> str:
    """The middle page of the catalogue reached as a client does: by the next_cursor of
    the page before it."""
    status, body = servers.http_get(server.url(products_path(middle_page(info) - 1)))
    if status != 200 or not body.get("next_cursor"):
        raise RuntimeError(f"no next_cursor from the page before the middle: {status} {body}")
    return f"/api/v1/products?page_size={PAGE_SIZE}&cursor={body['next_cursor']}"


def uncached_products_page(ctx, info) -> Target:
    app = busting_server(ctx)
    path = middle_cursor_path(app, info)
    check_products(app.url(path + f"&max_price={MAX_PRICE}"), expect_items=PAGE_SIZE)
    return Target(f"GET {path[:60]}... (middle page by cursor; uncached: unique max_price "
                  f"per request)", app.url("/"), lua=_lua_unique(f'"{path}"'))


def uncached_numbered_page(ctx, info) -> Target:
    app = busting_server(ctx)
    path = products_path(middle_page(info), "&include_total=true")
    check_products(app.url(path + f"&max_price={MAX_PRICE}"), expect_items=PAGE_SIZE,
                   min_total=info["active_products"])
    return Target(f"GET {path} (uncached: unique max_price per request)", app.url("/"),
                  lua=_lua_unique(f'"{path}"'))


def cached_products_page(ctx, info) -> Target:
    server = redis_server(ctx)
    url = server.url(middle_cursor_path(server, info))
    check_products(url, expect_items=PAGE_SIZE)
    return Target(f"GET {url[:60]}... (middle page by cursor; cached: same URL every "
                  f"request)", url)


def uncached_search(ctx, info) -> Target:
    terms = info["search_terms"]
    app = busting_server(ctx)
    for term in terms:
        check_products(app.url(f"/api/v1/products?q={term}&max_price={MAX_PRICE}"
                               f"&include_total=true"), expect_items=20, min_total=100)
    lua_terms = ", ".join(f'"{t}"' for t in terms)
    preamble = f"local terms = {{{lua_terms}}}\nlocal k = 0\n"
    expr = ('(function() k = k % #terms + 1; return "/api/v1/products?q=" .. terms[k] end)()')
    return Target(f"GET /api/v1/products?q=<term> ({len(terms)} terms round-robin, ~4% of "
                  f"products each; uncached)", app.url("/"), lua=_lua_unique(expr, preamble))


def orders_target(ctx, info, label: str, cursor: str | None = None) -> Target:
    path = f"/api/v1/orders?limit={PAGE_SIZE}" + (f"&cursor={cursor}" if cursor else "")
    headers = {"Authorization": f"Bearer {info['orders_key']}"}
    url = ctx.app_server().url(path)
    status, body = servers.http_get(url, headers=headers)
    if status != 200 or len(body.get("data", [])) != PAGE_SIZE:
        raise RuntimeError(f"{url} answered {status} with "
                           f"{len(body.get('data', [])) if isinstance(body, dict) else body}")
    return Target(label, url, headers=headers)


def check_products(url: str, expect_items: int, min_total: int = 0) -> None:
    """The benchmarked request must return what it claims: a full page of products."""
    status, body = servers.http_get(url)
    if status != 200 or not isinstance(body, dict) or len(body.get("data", [])) != expect_items \
            or (min_total and (body.get("total") or 0) < min_total):
        summary = body if not isinstance(body, dict) else {
            k: (len(v) if k == "data" else v) for k, v in body.items()}
        raise RuntimeError(f"{url} answered {status}: {summary}")
