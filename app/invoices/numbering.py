"""Gapless invoice numbers: a counter row per series and year, incremented by a guarded
UPDATE ... RETURNING inside the finalising transaction. On PostgreSQL the row stays
locked until that transaction ends, so concurrent finalisations take consecutive numbers,
and a rollback returns the number (nothing is burnt). SQLite serialises writers anyway."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.invoices.models import InvoiceCounter


def next_number(series: str, year: int) -> str:
    key = f"{series}-{year}"
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(InvoiceCounter).values(series_key=key, last_number=0)
                       .on_conflict_do_nothing(index_elements=["series_key"]))
    number = db.session.execute(
        update(InvoiceCounter).where(InvoiceCounter.series_key == key)
        .values(last_number=InvoiceCounter.last_number + 1)
        .returning(InvoiceCounter.last_number)
    ).scalar_one()
    return f"{key}-{number:06d}"
