"""In-app seeding and SQL probes for the catalogue/orders benchmarks (run through
``ctx.in_app``, i.e. ``python -m bench.inapp bench.seed:<function>``).

Rows go straight into the tables with PostgreSQL COPY (the service layer is not what these
benchmarks measure, and 100,000 orders through the API would take minutes): customers,
a category tree, products named from word lists (so search terms match a known share),
orders with 1-4 lines each priced from the catalogue, one history row per order. Then
VACUUM ANALYZE, as autovacuum would do on a live database, so the planner has statistics.
"""
from __future__ import annotations

import io
import json
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import event, text

from app.extensions import db
from app.orders import numbering

ADJECTIVES = ["Rustic", "Modern", "Classic", "Compact", "Deluxe", "Vintage", "Sleek", "Sturdy",
              "Elegant", "Portable", "Handmade", "Minimal", "Premium", "Nordic", "Urban",
              "Cozy", "Bold", "Smart", "Folding", "Royal"]
MATERIALS = ["Oak", "Walnut", "Bamboo", "Steel", "Copper", "Ceramic", "Glass", "Linen",
             "Wool", "Leather", "Marble", "Cotton", "Brass", "Pine", "Velvet", "Cork",
             "Granite", "Silk", "Rattan", "Concrete"]
NOUNS = ["Lamp", "Table", "Chair", "Shelf", "Mug", "Vase", "Blanket", "Clock", "Mirror",
         "Basket", "Bowl", "Stool", "Cushion", "Rug", "Desk", "Bench", "Kettle", "Teapot",
         "Candle", "Planter", "Tray", "Sofa", "Wardrobe", "Drawer", "Frame"]
FILLER = ["durable", "finish", "hand", "crafted", "easy", "clean", "gift", "everyday",
          "design", "warm", "natural", "tone", "sustainably", "sourced", "timeless", "piece",
          "living", "room", "kitchen", "bedroom", "office", "studio", "quality", "soft",
          "texture", "matte", "polished", "light", "weight", "stable", "base"]
# One noun in 25 products: each search term matches ~4% of the catalogue (~390 products).
SEARCH_TERMS = ["lamp", "chair", "mug", "vase", "clock", "basket", "kettle", "mirror"]
STATUSES = [("fulfilled", 70), ("paid", 15), ("cancelled", 10), ("pending_payment", 5)]
COUNTRIES = ["GB", "DE", "FR", "NL", "SE", "IT", "ES", "PL"]


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value, separators=(",", ":"))
    s = str(value)
    return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _copy(cur, table: str, columns: list[str], rows) -> int:
    buf, n = io.StringIO(), 0
    for row in rows:
        buf.write("\t".join(_cell(v) for v in row))
        buf.write("\n")
        n += 1
    buf.seek(0)
    cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)
    return n


def seed_catalog_orders(products: int = 10_000, orders: int = 100_000, customers: int = 2_000,
                        seed: int = 20240607) -> dict:
    """Insert the data set; returns counts, timings and what the benchmarks need."""
    started = time.perf_counter()
    rnd = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)

    raw = db.session.connection().connection.dbapi_connection
    cur = raw.cursor()
    counts = {}

    # -- customers --------------------------------------------------------------------------
    user_ids = [uuid.UUID(int=rnd.getrandbits(128), version=4) for _ in range(customers)]
    counts["users"] = _copy(cur, "users", [
        "id", "email", "password_hash", "full_name", "country", "email_verified_at",
        "is_active", "credentials_version", "created_at", "updated_at"], (
        (uid, f"customer{i}@bench.example.com", "!bench-no-login", f"Customer {i}",
         rnd.choice(COUNTRIES), now, True, 1, now - timedelta(days=400), now)
        for i, uid in enumerate(user_ids)))

    # -- categories: 5 roots x 4 children -----------------------------------------------------
    cat_rows, leaf_ids = [], []
    for r in range(5):
        root = uuid.uuid4()
        cat_rows.append((root, f"Department {r}", f"dept-{r}", None, now))
        for c in range(4):
            child = uuid.uuid4()
            cat_rows.append((child, f"Aisle {r}.{c}", f"aisle-{r}-{c}", root, now))
            leaf_ids.append(child)
    counts["categories"] = _copy(cur, "categories",
                                 ["id", "name", "slug", "parent_id", "created_at"], cat_rows)

    # -- products: every (adjective, material, noun) once when products <= 10,000 ---------
    combos = [(a, m, n) for n in NOUNS for m in MATERIALS for a in ADJECTIVES]
    rnd.shuffle(combos)
    product_rows = []
    for i in range(products):
        adj, mat, noun = combos[i % len(combos)]
        name = f"{adj} {mat} {noun}" + (f" {i // len(combos) + 1}" if i >= len(combos) else "")
        description = " ".join(rnd.choice(FILLER) for _ in range(rnd.randint(12, 30))) + "."
        created = now - timedelta(days=rnd.uniform(30, 900))
        product_rows.append((
            uuid.uuid4(), f"SKU-{i:06d}", name, description.capitalize(),
            rnd.randint(199, 49_999), "EUR", rnd.choice(["standard"] * 8 + ["reduced", "zero"]),
            rnd.random() >= 0.03, rnd.randint(0, 200), rnd.choice(leaf_ids), None,
            created, created))
    counts["products"] = _copy(cur, "products", [
        "id", "sku", "name", "description", "price_amount", "currency", "tax_category",
        "active", "stock_on_hand", "category_id", "image_url", "created_at", "updated_at"],
        product_rows)
    active_products = [p for p in product_rows if p[7]]

    # -- orders over the last ~2 years, one every ~10 minutes ---------------------------------
    statuses = [s for s, w in STATUSES for _ in range(w)]
    step = timedelta(minutes=10)
    order_rows, line_rows, history_rows = [], [], []
    for n in range(orders):
        oid = uuid.uuid4()
        created = now - step * n - timedelta(seconds=rnd.randint(0, 599),
                                              microseconds=rnd.randint(0, 999_999))
        status = rnd.choice(statuses)
        country = rnd.choice(COUNTRIES)
        address = {"name": f"Customer {n % customers}", "line1": f"{n % 997 + 1} Bench Street",
                   "city": "Testville", "postal_code": f"{10000 + n % 89999}", "country": country}
        subtotal = 0
        for position, p in enumerate(rnd.sample(active_products, rnd.randint(1, 4))):
            qty = rnd.randint(1, 3)
            subtotal += p[4] * qty
            line_rows.append((uuid.uuid4(), oid, position, p[0], p[1], p[2], p[6], p[4], qty,
                              p[4] * qty))
        paid = created + timedelta(minutes=5) if status in ("paid", "fulfilled") else None
        fulfilled = created + timedelta(days=2) if status == "fulfilled" else None
        cancelled = created + timedelta(hours=3) if status == "cancelled" else None
        updated = fulfilled or cancelled or paid or created
        # Human numbers as the sequence would have given them: oldest first (#1001 ...).
        order_rows.append((oid, numbering.FIRST + orders - 1 - n, rnd.choice(user_ids), status,
                           "EUR", subtotal, subtotal, country,
                           address, address, status == "cancelled", created, updated, paid,
                           fulfilled, cancelled))
        history_rows.append((uuid.uuid4(), oid, None, "pending_payment",
                             f"user:{order_rows[-1][2]}", "", created))
    counts["orders"] = _copy(cur, "orders", [
        "id", "number", "customer_id", "status", "currency", "subtotal_amount", "total_amount",
        "country", "shipping_address", "billing_address", "restocked", "created_at", "updated_at",
        "paid_at", "fulfilled_at", "cancelled_at"], order_rows)
    # The next order placed through the app continues after the seeded numbers.
    cur.execute(f"SELECT setval('{numbering.SEQUENCE}', %s)", (numbering.FIRST + orders - 1,))
    counts["order_lines"] = _copy(cur, "order_lines", [
        "id", "order_id", "position", "product_id", "sku", "name", "tax_category",
        "unit_price_amount", "quantity", "line_total_amount"], line_rows)
    counts["order_history"] = _copy(cur, "order_history", [
        "id", "order_id", "from_status", "to_status", "actor", "note", "at"], history_rows)
    db.session.commit()
    inserted = time.perf_counter() - started

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE users, categories, products, orders, order_lines, "
                          "order_history"))
    analyzed = time.perf_counter() - started - inserted

    share = {}
    for term in SEARCH_TERMS:
        share[term] = sum(1 for p in active_products
                          if term in p[2].lower().split() or term in p[3].lower())
    return {"counts": counts, "active_products": len(active_products),
            "search_terms": SEARCH_TERMS, "search_matches": share,
            "insert_seconds": round(inserted, 2), "vacuum_analyze_seconds": round(analyzed, 2)}


def cursor_at_depth(depth: int) -> str:
    """The keyset cursor the API would hand out after ``depth`` rows of the partner's
    newest-first list (the (created_at, id) of row number ``depth``)."""
    from app.core.keyset import encode_cursor

    row = db.session.execute(text(
        "SELECT created_at, id FROM orders ORDER BY created_at DESC, id DESC "
        "OFFSET :skip LIMIT 1"), {"skip": depth - 1}).one()
    at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
    return encode_cursor(at, row.id)


def _explain_ms(sql: str, params, repeat: int) -> tuple[float, str]:
    """Median EXPLAIN ANALYZE execution time (ms) and the plan's top node, summarised."""
    raw = db.session.connection().connection.dbapi_connection
    times, plan = [], None
    with raw.cursor() as cur:
        for _ in range(repeat):
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            doc = cur.fetchone()[0][0]
            times.append(doc["Execution Time"])
            plan = doc["Plan"]
    return statistics.median(times), _plan_summary(plan)


def _plan_summary(node) -> str:
    parts = []
    while node is not None:
        label = node["Node Type"]
        if node.get("Index Name"):
            label += f" {node.get('Scan Direction', '')} on {node['Index Name']}".replace("  ", " ")
        removed = node.get("Rows Removed by Filter")
        label += f" (rows {node.get('Actual Rows')}"
        if removed:
            label += f", removed by filter {removed}"
        parts.append(label + ")")
        children = node.get("Plans") or []
        node = children[0] if children else None
    return " <- ".join(parts)


def explain_orders(depths: list[int], limit: int = 50, repeat: int = 5) -> list[dict]:
    """For each depth: the exact SQL ``list_orders`` sends for the page after ``depth`` rows
    (captured from the app, cursor included), its EXPLAIN ANALYZE time, and the same page
    fetched with OFFSET for contrast."""
    from app.core.readonly import read_engine
    from app.orders.queries import list_orders

    results = []
    for depth in depths:
        cursor = cursor_at_depth(depth) if depth else None
        captured = []

        def grab(conn, cursor_, statement, parameters, context, executemany):
            captured.append((statement, parameters))

        event.listen(read_engine(), "before_cursor_execute", grab)
        try:
            rows = list_orders(cursor=cursor, limit=limit).orders
        finally:
            event.remove(read_engine(), "before_cursor_execute", grab)
        db.session.rollback()
        main_sql, main_params = captured[0]
        lines_sql, lines_params = captured[1] if len(captured) > 1 else (None, None)
        keyset_ms, keyset_plan = _explain_ms(main_sql, main_params, repeat)
        lines_ms = _explain_ms(lines_sql, lines_params, repeat)[0] if lines_sql else 0.0
        offset_sql = ("SELECT * FROM orders ORDER BY created_at DESC, id DESC "
                      f"LIMIT {limit + 1} OFFSET {depth}")
        offset_ms, offset_plan = _explain_ms(offset_sql, None, repeat)
        # The same keyset as a row-value comparison, which PostgreSQL can use as an index
        # condition (a range start) instead of a filter over every newer row.
        row_value_ms, row_value_plan = None, None
        if cursor:
            from app.core.keyset import decode_cursor

            at, last_id = decode_cursor(cursor)
            row_value_ms, row_value_plan = _explain_ms(
                "SELECT * FROM orders WHERE (created_at, id) < (%(at)s, %(id)s::uuid) "
                f"ORDER BY created_at DESC, id DESC LIMIT {limit + 1}",
                {"at": at, "id": str(last_id)}, repeat)
        results.append({"depth": depth, "rows": len(rows), "statements": len(captured),
                         "keyset_ms": round(keyset_ms, 3), "keyset_plan": keyset_plan,
                         "lines_ms": round(lines_ms, 3),
                         "offset_ms": round(offset_ms, 3), "offset_plan": offset_plan,
                         "row_value_ms": row_value_ms and round(row_value_ms, 3),
                         "row_value_plan": row_value_plan})
    return results


def explain_products(page: int | None = None, page_size: int = 50, q: str | None = None,
                     repeat: int = 5, **query) -> dict:
    """EXPLAIN ANALYZE of the statements ``list_products`` sends (``query``: its other
    arguments, such as cursor or include_total)."""
    from app.catalog.queries import list_products
    from app.core.readonly import read_engine

    captured = []

    def grab(conn, cursor_, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(read_engine(), "before_cursor_execute", grab)
    try:
        result = list_products(q=q, page=page, page_size=page_size, **query)
    finally:
        event.remove(read_engine(), "before_cursor_execute", grab)
    db.session.rollback()
    out = {"items": len(result.items), "total": result.total, "statements": []}
    for sql, params in captured:
        ms, plan = _explain_ms(sql, params, repeat)
        out["statements"].append({"sql": " ".join(sql.split())[:90], "ms": round(ms, 3),
                                  "plan": plan})
    return out
