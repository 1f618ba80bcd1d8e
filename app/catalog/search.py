"""Product search: PostgreSQL full-text with ranking, a LIKE fallback on SQLite.

The user's text only ever travels as a bound parameter; it never becomes SQL. A search
is split in two: its *shape* (which SQL it needs: the kind of tsquery on PostgreSQL, the
number of terms on SQLite) and its *parameters*, so the list statement can be built once
per shape and reused.
"""
from __future__ import annotations

import re

from sqlalchemy import Float, String, and_, bindparam, case, cast, func, literal_column, or_

from app.catalog.models import Product

MAX_TERMS = 16
# PostgreSQL only: a stored generated tsvector (migration 0006), GIN-indexed, so neither
# the match nor ts_rank recomputes to_tsvector per row. Not mapped: SQLite has no tsvector.
_DOCUMENT = literal_column("products.search_vector")
_LANG = literal_column("'english'")
_WEBSEARCH_SYNTAX = re.compile(r'"|(^|\s)-|\bor\b', re.IGNORECASE)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def spec(q: str | None, dialect: str) -> tuple[tuple | None, dict]:
    """(shape, parameters) of a search for ``dialect``; shape None when the text holds
    no search term."""
    if not q or not q.strip():
        return None, {}
    if dialect == "postgresql":
        # websearch_to_tsquery for queries using its syntax (quotes, OR, -exclusion);
        # otherwise every word must match, the last one as a prefix (search as you type).
        words = re.findall(r"[^\W_]+", q)[:MAX_TERMS]
        if _WEBSEARCH_SYNTAX.search(q) or not words:
            return ("websearch",), {"q": q}
        return ("prefix",), {"q": " & ".join(words[:-1] + [words[-1] + ":*"])}
    terms = q.casefold().split()[:MAX_TERMS]
    params = {f"q{i}": f"%{_escape_like(t)}%" for i, t in enumerate(terms)}
    phrase = _escape_like(" ".join(terms))
    params.update(q_starts=f"{phrase}%", q_contains=f"%{phrase}%")
    return ("like", len(terms)), params


def expressions(shape: tuple):
    """(where clause, rank expression: higher is better) for a search shape, with bound
    parameters named as in ``spec``."""
    if shape[0] == "like":
        return _sqlite(shape[1])
    q = bindparam("q", type_=String)
    tsquery = func.websearch_to_tsquery(_LANG, q) if shape[0] == "websearch" \
        else func.to_tsquery(_LANG, q)
    # float8, not ts_rank's float4: a cursor carries the rank as JSON text, and a float8
    # comes back from text exactly.
    return _DOCUMENT.op("@@")(tsquery), cast(func.ts_rank(_DOCUMENT, tsquery), Float(53))


def _sqlite(count: int):
    """Every term in name, SKU or description; name matches rank first (3 best).
    ngm_fold is a Unicode casefold (SQLite's LIKE folds ASCII only), given to every
    connection by app.core.readonly."""
    name, sku, desc = (func.ngm_fold(c) for c in (Product.name, Product.sku, Product.description))

    def like(col, param):
        return col.like(bindparam(param, type_=String), escape="\\")

    terms = [f"q{i}" for i in range(count)]
    per_term = [or_(like(name, t), like(sku, t), like(desc, t)) for t in terms]
    rank = case(
        (like(name, "q_starts"), 3),
        (like(name, "q_contains"), 2),
        (and_(*[like(name, t) for t in terms]), 1),
        else_=0,
    )
    return and_(*per_term), rank
