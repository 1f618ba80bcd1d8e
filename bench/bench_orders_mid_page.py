"""Keyset pagination in the middle of the orders: the page after 50,000 rows (50,000
newer, 50,000 older) vs page 1, p50 latency at one connection. The deep page of
orders_deep_page is the table's last one; this is what a deep page costs when more rows
follow it, as they do on any table larger than the depth."""
from bench import catalog_data
from bench.bench_orders_deep_page import measure

DESCRIPTION = "orders page 50,000 rows deep (middle of 100,000) vs page 1: p50 latency ratio"
GOAL = 1.5


def run(ctx):
    return measure(ctx, catalog_data.MID, "mid_cursor", GOAL, explain=False)
