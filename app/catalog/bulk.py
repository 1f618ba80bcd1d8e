"""Bulk upsert by SKU: thousands of rows, all or nothing, a fixed number of statements.

Every row is validated before anything is written; one bad row rejects the whole batch
with a report keyed by row index (0-based, as in the request's array). Then: one SELECT
for the existing SKUs, one for the referenced categories, a bulk INSERT and a bulk
UPDATE (executemany), one summary audit entry and one event.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.audit import service as audit
from app.catalog import cache as catalog_cache
from app.catalog import rules
from app.catalog.models import Category, Product
from app.core.actor import Actor
from app.core import uow
from app.core.errors import Conflict, InvalidInput
from app.core.types import utcnow
from app.events.service import publish
from app.extensions import db

MAX_ROWS = 5000
_COMPARED = [k for k in rules.FIELDS if k != "sku"]


@dataclass
class BulkResult:
    created: list[str] = field(default_factory=list)  # SKUs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        return {"created": len(self.created), "updated": len(self.updated),
                "unchanged": len(self.unchanged)}


def _validate(rows) -> list[dict]:
    if not isinstance(rows, list) or not rows:
        raise InvalidInput("Send at least one product.", errors={"products": ["Required."]})
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"At most {MAX_ROWS} products per request.",
                           errors={"products": [f"At most {MAX_ROWS} rows."]})
    cleaned, report, first_row_of = [], {}, {}
    for index, row in enumerate(rows):
        values, errors = rules.clean(row, complete=True)
        sku = values.get("sku")
        if sku is not None:
            if sku in first_row_of:
                errors.setdefault("sku", []).append(
                    f"Duplicate of row {first_row_of[sku]} in this request.")
            else:
                first_row_of[sku] = index
        if errors:
            report[str(index)] = errors
        cleaned.append(values)
    # Categories are checked together: one query for all rows.
    wanted = {v["category_id"] for v in cleaned if v.get("category_id") is not None}
    if wanted:
        known = set(db.session.scalars(select(Category.id).where(Category.id.in_(wanted))))
        for index, values in enumerate(cleaned):
            if values.get("category_id") is not None and values["category_id"] not in known:
                report.setdefault(str(index), {})["category_id"] = ["Unknown category."]
    if report:
        raise InvalidInput(f"{len(report)} of {len(rows)} rows are not valid; nothing was written.",
                           errors={"rows": report})
    return cleaned


def bulk_upsert_by_sku(rows, *, actor: Actor) -> BulkResult:
    """Create products whose SKU is new, update the others. On update, fields a row
    omits keep their current values (required fields are always sent)."""
    cleaned = _validate(rows)
    existing = {r.sku: r for r in db.session.execute(
        select(Product.id, *(getattr(Product, k) for k in rules.FIELDS))
        .where(Product.sku.in_([v["sku"] for v in cleaned]))
    )}
    now = utcnow()
    result, inserts, updates, touched = BulkResult(), [], [], []
    for values in cleaned:
        current = existing.get(values["sku"])
        if current is None:
            ident = uuid.uuid4()
            inserts.append({**rules.DEFAULTS, **values, "id": ident, "created_at": now,
                            "updated_at": now})
            result.created.append(values["sku"])
            touched.append(ident)
        elif any(getattr(current, k) != values[k] for k in _COMPARED if k in values):
            # Every dict carries every column so executemany runs as one batch.
            merged = {k: values.get(k, getattr(current, k)) for k in _COMPARED}
            updates.append({**merged, "id": current.id, "updated_at": now})
            result.updated.append(values["sku"])
            touched.append(current.id)
        else:
            result.unchanged.append(values["sku"])
    if inserts:
        db.session.execute(insert(Product), inserts)
    if updates:
        db.session.execute(update(Product), updates)
    audit.record(actor, "catalog.bulk_upsert", "product", None,
                 after={**result.counts(), "created_skus": result.created,
                        "updated_skus": result.updated})
    publish("catalog.bulk_upserted", {**result.counts(),
                                      "product_ids": [str(i) for i in touched]})
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent writer created one of these SKUs first
        uow.rollback()
        raise Conflict("Another write changed these SKUs at the same time; retry.") from None
    if touched:
        uow.after_commit(catalog_cache.invalidate, touched)
    return result
