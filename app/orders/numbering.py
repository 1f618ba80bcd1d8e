"""Human order numbers (#1001, #1002, ...), taken when an order row is inserted.

On PostgreSQL a sequence: concurrent checkouts never wait on each other, and a rolled-back
order leaves a gap, as shops' order numbers do (only invoice numbers must be gapless). On
SQLite, where writers are serialised anyway, a counter row in the same transaction. Being
the column's default, every insert gets one: the service, the back office, demo data,
tests."""
from __future__ import annotations

from sqlalchemy import text

SEQUENCE = "order_number_seq"
FIRST = 1001
_COUNTER_KEY = "order-number"


def next_number(context) -> int:
    connection = context.connection
    if connection.dialect.name == "postgresql":
        return connection.execute(text(f"SELECT nextval('{SEQUENCE}')")).scalar_one()
    connection.execute(text("INSERT INTO invoice_counters (series_key, last_number) "
                            "VALUES (:key, :start) ON CONFLICT (series_key) DO NOTHING"),
                       {"key": _COUNTER_KEY, "start": FIRST - 1})
    return connection.execute(text("UPDATE invoice_counters SET last_number = last_number + 1 "
                                   "WHERE series_key = :key RETURNING last_number"),
                              {"key": _COUNTER_KEY}).scalar_one()


def label(number: int | None) -> str:
    return f"#{number}" if number is not None else ""
