"""Product search: PostgreSQL full-text with ranking, a LIKE fallback on SQLite.

The user's text only ever travels as a bound parameter; it never becomes SQL.
"""
from __future__ import annotations

import re

from sqlalchemy import and_, case, func, literal_column, or_

from app.catalog.models import Product
from app.extensions import db

MAX_TERMS = 16
# PostgreSQL only: a stored generated tsvector (migration 0006), GIN-indexed, so neither
# the match nor ts_rank recomputes to_tsvector per row. Not mapped: SQLite has no tsvector.
_DOCUMENT = literal_column("products.search_vector")
_LANG = literal_column("'english'")
_WEBSEARCH_SYNTAX = re.compile(r'"|(^|\s)-|\bor\b', re.IGNORECASE)


def _pg_query(q: str):
    """websearch_to_tsquery for queries using its syntax (quotes, OR, -exclusion);
    otherwise every word must match, the last one as a prefix (search as you type)."""
    words = re.findall(r"[^\W_]+", q)[:MAX_TERMS]
    if _WEBSEARCH_SYNTAX.search(q) or not words:
        return func.websearch_to_tsquery(_LANG, q)
    return func.to_tsquery(_LANG, " & ".join(words[:-1] + [words[-1] + ":*"]))


def postgres(q: str):
    """(where clause, rank expression)."""
    tsquery = _pg_query(q)
    return _DOCUMENT.op("@@")(tsquery), func.ts_rank(_DOCUMENT, tsquery)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fold_in_sqlite() -> None:
    # SQLite's LIKE folds ASCII only ("É" != "é"). Register a Unicode casefold on the very
    # connection that will run the query: no SQL statement, no global listener.
    raw = db.session.connection().connection.dbapi_connection
    raw.create_function("ngm_fold", 1, lambda s: s.casefold() if isinstance(s, str) else s,
                        deterministic=True)


def sqlite(q: str):
    """(where clause, rank expression): every term in name, SKU or description;
    name matches rank first (0 best)."""
    _fold_in_sqlite()
    terms = q.casefold().split()[:MAX_TERMS]
    name, sku, desc = (func.ngm_fold(c) for c in (Product.name, Product.sku, Product.description))

    def like(col, pattern):
        return col.like(pattern, escape="\\")

    per_term = [
        or_(like(name, p), like(sku, p), like(desc, p))
        for p in (f"%{_escape_like(t)}%" for t in terms)
    ]
    phrase = _escape_like(" ".join(terms))
    rank = case(
        (like(name, f"{phrase}%"), 0),
        (like(name, f"%{phrase}%"), 1),
        (and_(*[like(name, f"%{_escape_like(t)}%") for t in terms]), 2),
        else_=3,
    )
    return and_(*per_term), rank


def match(q: str):
    """(where clause, rank expression, rank descending?) for the current backend, or None
    when the text holds no search term."""
    if not q or not q.strip():
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        where, rank = postgres(q)
        return where, rank, True
    where, rank = sqlite(q)
    return where, rank, False
