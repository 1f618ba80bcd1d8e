"""Dashboard benchmarks' data and in-process measurement (run through bench.inapp).

``seed(orders)``: on PostgreSQL, ``orders`` orders over the last 365 days (one line each,
19 % or 7 % tax, 85 % paid), one payment per order (10 % declined), refunds on 2 % and a
few thousand open invoices, written with ``generate_series`` in a handful of statements,
then VACUUM ANALYZE. A staff member (finance, TOTP confirmed) for the page benchmark.

``measure(...)``: interleaved pairs, in one process, of
  A  the dashboard's aggregates as the page computes them for finance (today, this month,
     revenue and orders per day over 90 days, by tax rate, receivables, counts), the
     closed days read from the daily rollup (filled once, before measuring);
  A' the same 90 days straight from the order, payment and refund tables (what every page
     view would cost without the rollup), measured as a second check;
  B  ``SELECT COUNT(*) FROM orders``, the baseline the issue names.
The ratio is time(A) / time(B): how many plain counts of the table one dashboard costs.
"""
from __future__ import annotations

import time
import uuid

from sqlalchemy import text

from app.extensions import db

# Random per run: the password rules refuse anything guessable.
STAFF_PASSWORD = "Dash-" + uuid.uuid4().hex


def seed(orders: int = 1_000_000) -> dict:
    started = time.perf_counter()
    product = uuid.uuid4()
    statements = [
        "INSERT INTO users (id, email, password_hash, full_name, is_active, credentials_version,"
        " created_at, updated_at) SELECT md5('u' || g)::uuid, 'bench' || g || '@example.com',"
        " 'x', 'Bench Customer ' || g, true, 1, now() - interval '400 days', now()"
        " FROM generate_series(1, 5000) g ON CONFLICT DO NOTHING",
        f"INSERT INTO products (id, sku, name, description, price_amount, currency, tax_category,"
        f" active, stock_on_hand, created_at, updated_at) VALUES ('{product}', 'DASH-{product.hex[:8]}',"
        f" 'Dashboard bench', '', 1000, 'EUR', 'standard', true, 0, now(), now())",
        "SELECT setval('order_number_seq', GREATEST((SELECT COALESCE(MAX(number), 0) FROM orders),"
        " 1000) + :n + 1)",
        # number: above every existing one (the sequence moved past them just above).
        "INSERT INTO orders (id, number, customer_id, status, currency, tax_inclusive,"
        " subtotal_amount, tax_amount, total_amount, country, shipping_address, billing_address,"
        " restocked, created_at, updated_at, paid_at, tax_date)"
        " SELECT md5('o' || g)::uuid, (SELECT COALESCE(MAX(number), 1000) FROM orders)"
        " + row_number() OVER (ORDER BY s.ts),"
        " md5('u' || (1 + g % 5000))::uuid,"
        " CASE WHEN g % 20 < 17 THEN 'paid' ELSE 'pending_payment' END, 'EUR', false,"
        " 1000 + g % 9000, ((1000 + g % 9000) * CASE WHEN g % 5 = 0 THEN 7 ELSE 19 END) / 100,"
        " 1000 + g % 9000 + ((1000 + g % 9000) * CASE WHEN g % 5 = 0 THEN 7 ELSE 19 END) / 100,"
        " 'DE', '{}', '{}', false, ts, ts,"
        " CASE WHEN g % 20 < 17 THEN ts + interval '5 minutes' END, ts::date"
        " FROM (SELECT g, now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second'"
        " AS ts FROM generate_series(1, :n) g) s"
        # In time order, as a shop's orders arrive: a day's rows sit together on disk.
        " ORDER BY s.ts",
        "INSERT INTO order_lines (id, order_id, position, product_id, sku, name, tax_category,"
        " unit_price_amount, quantity, line_total_amount, tax_rate, net_amount, tax_amount,"
        " gross_amount) SELECT md5('l' || o.id)::uuid, o.id, 0, :product, 'DASH', 'Dashboard bench',"
        " 'standard', o.subtotal_amount, 1, o.subtotal_amount,"
        " CASE WHEN o.tax_amount * 100 / o.subtotal_amount < 10 THEN 0.07 ELSE 0.19 END,"
        " o.subtotal_amount, o.tax_amount, o.total_amount FROM orders o"
        " WHERE o.shipping_address::text = '{}'",
        "INSERT INTO payments (id, order_id, customer_id, method, gateway, status, amount, currency,"
        " amount_refunded, amount_refund_pending, created_by, created_at, updated_at, succeeded_at)"
        " SELECT md5('p' || o.id)::uuid, o.id, o.customer_id, 'card', 'stripe',"
        " CASE WHEN o.paid_at IS NOT NULL THEN 'succeeded' ELSE 'failed' END, o.total_amount,"
        " 'EUR', 0, 0, 'bench', o.created_at, o.created_at, o.paid_at FROM orders o"
        " WHERE o.shipping_address::text = '{}' AND (o.paid_at IS NOT NULL OR o.number % 2 = 0)",
        "INSERT INTO refunds (id, payment_id, amount, currency, status, reason, created_by,"
        " created_at, updated_at) SELECT md5('r' || p.id)::uuid, p.id, p.amount / 2, 'EUR',"
        " 'succeeded', 'bench', 'bench', p.created_at + interval '1 day',"
        " p.created_at + interval '1 day' FROM payments p"
        " WHERE p.created_by = 'bench' AND p.status = 'succeeded' AND get_byte(decode(md5(p.id::text), 'hex'), 0) < 5",
        "INSERT INTO invoices (id, kind, series, number, status, customer_id, currency,"
        " tax_inclusive, reverse_charge, buyer, notes, subtotal_amount, tax_amount, total_amount,"
        " amount_paid, amount_credited, issue_date, due_date, pdf_status, created_at, updated_at,"
        " finalised_at, sent_at) SELECT md5('i' || g)::uuid, 'invoice', 'INV', 'BENCH-' || g,"
        " 'sent', md5('u' || (1 + g % 5000))::uuid, 'EUR', false, false, '{\"name\": \"Bench\"}',"
        " '', 10000, 1900, 11900, 0, 0, current_date - (g % 60), current_date - (g % 60) + 14,"
        " 'none', now(), now(), now(), now() FROM generate_series(1, 3000) g",
    ]
    for sql in statements:
        db.session.execute(text(sql), {"n": orders, "product": product})
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    staff = _staff()
    return {"orders": orders, "seconds": round(time.perf_counter() - started, 1), **staff}


def _staff() -> dict:
    import pyotp

    from app.core.actor import Actor
    from app.core.types import utcnow
    from app.staff import service as staff_service

    email = f"bench-finance-{uuid.uuid4().hex[:8]}@nextgen.example"
    staff = staff_service.create(email, "finance", STAFF_PASSWORD, "Bench Finance",
                                 actor=Actor.system("bench"))
    staff.totp_secret = pyotp.random_base32()
    staff.totp_confirmed_at = utcnow()
    db.session.commit()
    return {"email": email, "password": STAFF_PASSWORD, "totp_secret": staff.totp_secret}


def _dashboard_figures():
    from app.core.clock import business_date
    from app.reporting import figures

    from datetime import timedelta

    from flask import g

    from app.reporting import rollup

    today = business_date()
    g.pop("reporting_window", None)
    rollup.prefetch(min(today.replace(day=1), today - timedelta(days=89)), today)
    figures.period(today, today)
    figures.period(today.replace(day=1), today)
    figures.per_day(90, today)
    figures.by_tax_rate(90, today)
    figures.receivables(today)
    figures.counts()
    figures.failed_deliveries()
    db.session.rollback()  # nothing to keep; the rollup was filled before measuring


def _live_90_days():
    from datetime import timedelta

    from app.core.clock import business_date
    from app.reporting import rollup

    today = business_date()
    rollup.aggregate(today - timedelta(days=89), today)
    db.session.rollback()


def _count():
    db.session.execute(text("SELECT COUNT(*) FROM orders")).scalar_one()
    db.session.rollback()


def measure(pairs: int = 5, duration: float = 3.0, warmup: float = 2.0) -> dict:
    from datetime import timedelta

    from app.core.clock import business_date
    from app.reporting import rollup
    from bench.inproc import timed_pairs

    today = business_date()
    fill_started = time.perf_counter()
    rollup.close_days(today - timedelta(days=400), today)
    db.session.commit()
    fill = time.perf_counter() - fill_started
    rows = db.session.execute(text("SELECT COUNT(*) FROM orders")).scalar_one()
    served = timed_pairs(_dashboard_figures, _count, pairs=pairs, duration=duration,
                         warmup=warmup)
    live = timed_pairs(_live_90_days, _count, pairs=pairs, duration=duration, warmup=warmup)
    return {"orders": rows, "rollup_fill_seconds": round(fill, 2), "served": served,
            "live": live}
