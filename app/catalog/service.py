"""The catalogue: one function per operation, called by the API, the back office and jobs.

Every write records an audit entry (changed keys only), publishes an event in the same
transaction, commits, then invalidates exactly the cache entries it changed.
"""
from __future__ import annotations

import re
import uuid
from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit import service as audit
from app.catalog import cache as catalog_cache
from app.catalog import rules
from app.catalog.bulk import BulkResult, bulk_upsert_by_sku  # noqa: F401  (public API)
from app.catalog.models import Category, Product
from app.catalog.queries import SORTS, Page, list_products  # noqa: F401  (public API)
from app.core.actor import Actor
from app.core import uow
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db

SKU_TAKEN = {"sku": ["A product with this SKU already exists."]}


# -- reads -------------------------------------------------------------------------------

def get_product(product_id, *, include_inactive: bool = False,
                for_update: bool = False) -> Product:
    """``for_update`` locks the row (PostgreSQL) so an If-Match check and the write that
    follows it cannot interleave with another writer."""
    ident = as_uuid(product_id)
    product = None
    if ident is not None:
        product = db.session.get(Product, ident, with_for_update=for_update or None,
                                 populate_existing=for_update)
    if product is None or (not product.active and not include_inactive):
        raise NotFound("Product not found.")
    return product


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name, Category.id)))


# -- categories --------------------------------------------------------------------------

def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120]


def create_category(name: str, *, slug: str | None = None, parent_id=None,
                    actor: Actor) -> Category:
    name = (name or "").strip() if isinstance(name, str) else ""
    errors = {}
    if not name or len(name) > 120:
        errors["name"] = ["Required, at most 120 characters."]
    slug = _slugify(slug if isinstance(slug, str) and slug else name)
    if not slug:
        errors["slug"] = ["Needs at least one letter or digit."]
    parent = None
    if parent_id is not None:
        ident = as_uuid(parent_id)
        parent = db.session.get(Category, ident) if ident else None
        if parent is None:
            errors["parent_id"] = ["Unknown category."]
    if errors:
        raise InvalidInput("The category is not valid.", errors=errors)
    if db.session.scalars(select(Category.id).where(Category.slug == slug)).first():
        raise Conflict("A category with this slug exists.", errors={"slug": ["Taken."]})
    category = Category(id=uuid.uuid4(), name=name, slug=slug,
                        parent_id=parent.id if parent else None)
    db.session.add(category)
    audit.record(actor, "category.create", "category", category.id,
                 after={"name": name, "slug": slug, "parent_id": category.parent_id})
    publish("category.created", {"category_id": str(category.id)})
    _flush_or_conflict(Conflict("A category with this slug exists.", errors={"slug": ["Taken."]}))
    uow.after_commit(catalog_cache.invalidate, lists=True)
    return category


# -- products ----------------------------------------------------------------------------

def _check(values: dict, errors: dict, *, product_id=None) -> None:
    """Rules needing the database: the category exists, the SKU is free."""
    if values.get("category_id") is not None and "category_id" not in errors:
        if db.session.get(Category, values["category_id"]) is None:
            errors["category_id"] = ["Unknown category."]
    if errors:
        raise InvalidInput("The product is not valid.", errors=errors)
    if "sku" in values:
        clash = select(Product.id).where(Product.sku == values["sku"])
        if product_id is not None:
            clash = clash.where(Product.id != product_id)
        if db.session.scalars(clash).first():
            raise Conflict("A product with this SKU already exists.", errors=SKU_TAKEN)


def _flush_or_conflict(conflict: Conflict) -> None:
    try:
        db.session.flush()
    except IntegrityError:  # lost a race on a unique key
        uow.rollback()
        raise conflict from None


def create_product(data: dict, *, actor: Actor) -> Product:
    values, errors = rules.clean(data, complete=True)
    _check(values, errors)
    product = Product(id=uuid.uuid4(), **{**rules.DEFAULTS, **values})
    db.session.add(product)
    audit.record(actor, "product.create", "product", product.id, after=product.snapshot())
    publish("product.created", {"product_id": str(product.id), "sku": product.sku})
    _flush_or_conflict(Conflict("A product with this SKU already exists.", errors=SKU_TAKEN))
    uow.after_commit(catalog_cache.invalidate, [product.id])
    return product


def update_product(product_id, changes: dict, *, actor: Actor, replace: bool = False) -> Product:
    """A partial update; ``replace`` (PUT) takes a whole product: required fields must be
    there and omitted optional ones return to their defaults."""
    values, errors = rules.clean(changes, complete=replace)
    product = get_product(product_id, include_inactive=True)
    if replace:
        values = {**rules.DEFAULTS, **values}
    _check(values, errors, product_id=product.id)
    return _apply(product, values, actor, "product.update")


def _apply(product: Product, values: dict, actor: Actor, action: str) -> Product:
    before = product.snapshot()
    for key, value in values.items():
        setattr(product, key, value)
    old, new = audit.changed(before, product.snapshot())
    if not new:
        return product  # nothing changed: no audit entry, no event, cache still valid
    product.updated_at = utcnow()
    audit.record(actor, action, "product", product.id, before=old, after=new)
    publish("product.updated", {"product_id": str(product.id), "changed": sorted(new)})
    _flush_or_conflict(Conflict("A product with this SKU already exists.", errors=SKU_TAKEN))
    uow.after_commit(catalog_cache.invalidate, [product.id])
    return product


def set_stock(product_id, quantity, *, actor: Actor) -> Product:
    """Set the stock on hand to a counted quantity (back-office inline edit)."""
    try:
        quantity = rules.stock(quantity)
    except rules.Bad as exc:
        raise InvalidInput("The stock is not valid.",
                           errors={"stock_on_hand": [str(exc)]}) from None
    product = get_product(product_id, include_inactive=True, for_update=True)
    return _apply(product, {"stock_on_hand": quantity}, actor, "product.set_stock")


def _set_active(product_ids: Iterable, active: bool, *, actor: Actor) -> int:
    """Returns how many products changed; unknown ids are ignored (already gone)."""
    idents = {i for i in (as_uuid(p) for p in product_ids) if i is not None}
    if not idents:
        return 0
    changing = list(db.session.scalars(
        select(Product.id).where(Product.id.in_(idents), Product.active.is_not(active))))
    if not changing:
        return 0
    db.session.execute(update(Product).where(Product.id.in_(changing))
                       .values(active=active, updated_at=utcnow()))
    action = "product.activate" if active else "product.deactivate"
    for ident in changing:
        audit.record(actor, action, "product", ident,
                     before={"active": not active}, after={"active": active})
        publish("product.updated", {"product_id": str(ident), "changed": ["active"]})
    db.session.flush()
    uow.after_commit(catalog_cache.invalidate, changing)
    return len(changing)


def activate(product_ids: Iterable, *, actor: Actor) -> int:
    return _set_active(product_ids, True, actor=actor)


def deactivate(product_ids: Iterable, *, actor: Actor) -> int:
    return _set_active(product_ids, False, actor=actor)
