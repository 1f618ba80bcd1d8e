"""Where a request's time goes, measured in-process against the bench data set (run
through ``ctx.in_app``; used by benchmarks that want to explain a ratio, and by hand:
``BENCH_KEEP_DB=1`` keeps the database). Every figure is the median of ``repeat`` calls,
in milliseconds, with the garbage collector as the server runs it unless stated."""
from __future__ import annotations

import gc
import statistics
import time

from app.extensions import db


def _ms(fn, repeat: int, rollback: bool = True) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        if rollback:  # a request ends its transaction; without it objects stay loaded
            db.session.rollback()
    return round(statistics.median(times), 3)


def _gc_ms(fn, repeat: int) -> tuple[float, int]:
    """Milliseconds per call spent in garbage collection, and collections per call."""
    spent, count, started = [0.0], [0], {}

    def cb(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started.pop("t", time.perf_counter())
            count[0] += 1

    gc.callbacks.append(cb)
    try:
        for _ in range(repeat):
            fn()
            db.session.rollback()
    finally:
        gc.callbacks.remove(cb)
    return round(spent[0] * 1000 / repeat, 3), round(count[0] / repeat, 2)


def orders_page(limit: int = 50, repeat: int = 50) -> dict:
    from api.orders.serialize import page_json
    from app.orders.queries import list_orders

    def full():
        return page_json(list_orders(limit=limit))

    page = list_orders(limit=limit)
    out = {
        "list_orders (2 SQL statements, rows)": _ms(lambda: list_orders(limit=limit), repeat),
        "page_json (dicts + orjson)": _ms(lambda: page_json(page), repeat, rollback=False),
        "whole page (queries + JSON)": _ms(full, repeat),
    }
    gc_ms, collections = _gc_ms(full, repeat)
    out["  of which garbage collection"] = gc_ms
    out["  GC collections per page"] = collections
    out["objects tracked by the GC"] = len(gc.get_objects())
    return out


def products_page(page: int, page_size: int = 50, q: str | None = None,
                  repeat: int = 30) -> dict:
    from api.products.serialize import dumps, page_dict
    from app.catalog.queries import list_products

    result = list_products(q=q, page=page, page_size=page_size)
    data = page_dict(result)
    full = lambda: dumps(page_dict(list_products(q=q, page=page, page_size=page_size)))  # noqa: E731
    out = {
        "list_products (one statement: page + total)": _ms(
            lambda: list_products(q=q, page=page, page_size=page_size), repeat),
        "page_dict (hand-built dicts)": _ms(lambda: page_dict(result), repeat),
        "orjson dumps": _ms(lambda: dumps(data), repeat),
        "whole page (query + dicts + JSON)": _ms(full, repeat),
    }
    out["  of which garbage collection"] = _gc_ms(full, repeat)[0]
    return out
