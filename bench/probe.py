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
    import orjson
    from sqlalchemy import select

    from api.orders.serialize import order_to_dict
    from app.orders.models import Order
    from app.orders.service import list_orders

    def full():
        rows, cursor = list_orders(limit=limit)
        return orjson.dumps({"data": [order_to_dict(o) for o in rows], "next_cursor": cursor})

    def core():
        """What a Core-only path would cost: orders and their lines as plain rows."""
        from app.orders.models import OrderLine

        order_rows = db.session.execute(select(*Order.__table__.c).order_by(
            Order.created_at.desc(), Order.id.desc()).limit(limit + 1)).all()
        ids = [r.id for r in order_rows[:limit]]
        lines = {}
        for r in db.session.execute(select(*OrderLine.__table__.c).where(
                OrderLine.order_id.in_(ids)).order_by(OrderLine.order_id, OrderLine.position)):
            lines.setdefault(r.order_id, []).append(r)
        return orjson.dumps({"data": [_order_row_dict(r, lines.get(r.id, ()))
                                      for r in order_rows[:limit]]})

    rows, _ = list_orders(limit=limit)
    dicts = [order_to_dict(o) for o in rows]
    out = {
        "list_orders (2 SQL statements + ORM objects)": _ms(lambda: list_orders(limit=limit),
                                                            repeat),
        "same SQL as Core rows, no ORM objects": _ms(lambda: (
            db.session.execute(select(*Order.__table__.c).order_by(
                Order.created_at.desc(), Order.id.desc()).limit(limit + 1)).all()), repeat),
        "order_to_dict x50 (objects loaded)": _ms(lambda: [order_to_dict(o) for o in rows],
                                                  repeat, rollback=False),
        "orjson.dumps of the page": _ms(lambda: orjson.dumps({"data": dicts}), repeat),
        "whole page (query + dicts + JSON)": _ms(full, repeat),
        "whole page, Core rows instead of ORM objects": _ms(core, repeat),
    }
    gc_ms, collections = _gc_ms(full, repeat)
    out["  of which garbage collection"] = gc_ms
    out["  GC collections per page"] = collections
    gc.freeze()
    try:
        out["whole page after gc.freeze()"] = _ms(full, repeat)
        out["  GC after gc.freeze()"] = _gc_ms(full, repeat)[0]
    finally:
        gc.unfreeze()
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
        "list_products (count + page SQL)": _ms(
            lambda: list_products(q=q, page=page, page_size=page_size), repeat),
        "page_dict (hand-built dicts)": _ms(lambda: page_dict(result), repeat),
        "orjson dumps": _ms(lambda: dumps(data), repeat),
        "whole page (query + dicts + JSON)": _ms(full, repeat),
    }
    out["  of which garbage collection"] = _gc_ms(full, repeat)[0]
    return out


def _order_row_dict(r, lines) -> dict:
    ts = lambda v: v.isoformat() if v is not None else None  # noqa: E731
    return {"id": str(r.id), "customer_id": str(r.customer_id), "status": r.status,
            "currency": r.currency, "subtotal_amount": r.subtotal_amount,
            "total_amount": r.total_amount, "country": r.country,
            "shipping_address": r.shipping_address, "billing_address": r.billing_address,
            "lines": [{"product_id": str(x.product_id), "sku": x.sku, "name": x.name,
                       "tax_category": x.tax_category, "unit_price_amount": x.unit_price_amount,
                       "quantity": x.quantity, "line_total_amount": x.line_total_amount}
                      for x in lines],
            "created_at": ts(r.created_at), "updated_at": ts(r.updated_at),
            "paid_at": ts(r.paid_at), "fulfilled_at": ts(r.fulfilled_at),
            "cancelled_at": ts(r.cancelled_at)}
