"""Demo catalogue for the embedded default: a small category tree and 20 products.

Idempotent: categories by slug, products by SKU (through the bulk upsert, so running it
again changes nothing and writes only an audit summary when something was missing).
"""
from __future__ import annotations

from sqlalchemy import select

from app.catalog import service
from app.catalog.models import Category, Product
from app.core.actor import Actor
from app.extensions import db

CATEGORIES = [  # (slug, name, parent slug)
    ("clothing", "Clothing", None),
    ("shoes", "Shoes", "clothing"),
    ("outerwear", "Outerwear", "clothing"),
    ("home", "Home & Kitchen", None),
    ("coffee", "Coffee", "home"),
    ("books", "Books", None),
]

PRODUCTS = [  # (sku, name, category slug, price in minor units, stock, tax category)
    ("SHOE-RUN-42", "Trail running shoes", "shoes", 8990, 25, "standard"),
    ("SHOE-LEA-43", "Leather derby shoes", "shoes", 12900, 8, "standard"),
    ("SHOE-SAN-40", "Canvas sandals", "shoes", 3450, 0, "standard"),
    ("COAT-RAIN-M", "Waterproof rain jacket", "outerwear", 14900, 12, "standard"),
    ("COAT-WOOL-L", "Wool winter coat", "outerwear", 22900, 4, "standard"),
    ("TEE-ORG-M", "Organic cotton t-shirt", "clothing", 1990, 120, "standard"),
    ("SOCK-MER-3", "Merino socks (3 pairs)", "clothing", 2490, 60, "standard"),
    ("CAF-BEANS-1K", "Espresso beans 1 kg", "coffee", 2190, 40, "reduced"),
    ("CAF-DECAF-500", "Decaf beans 500 g", "coffee", 1290, 15, "reduced"),
    ("CAF-GRIND-01", "Burr coffee grinder", "coffee", 8900, 7, "standard"),
    ("CAF-MOKA-6", "Moka pot, 6 cups", "coffee", 3490, 18, "standard"),
    ("KIT-KNIFE-20", "Chef's knife 20 cm", "home", 5900, 9, "standard"),
    ("KIT-PAN-28", "Cast iron pan 28 cm", "home", 4490, 11, "standard"),
    ("KIT-TOWEL-2", "Linen tea towels (2)", "home", 1590, 30, "standard"),
    ("BOOK-PY-101", "Python for the impatient", "books", 3200, 22, "zero"),
    ("BOOK-SQL-202", "SQL performance explained", "books", 3900, 5, "zero"),
    ("BOOK-COF-303", "The world atlas of coffee", "books", 2800, 3, "zero"),
    ("BOOK-CAF-404", "Café culture: a history", "books", 2450, 14, "zero"),
    ("GIFT-CARD-50", "Gift card 50 EUR", None, 5000, 999, "exempt"),
    ("SHOE-OLD-39", "Discontinued espadrilles", "shoes", 1999, 2, "standard"),
]
INACTIVE = {"SHOE-OLD-39"}


def load() -> dict:
    """Create what is missing; returns counts."""
    actor = Actor.system("demo-loader")
    ids = dict(db.session.execute(select(Category.slug, Category.id)).all())
    created_categories = 0
    for slug, name, parent in CATEGORIES:
        if slug not in ids:
            ids[slug] = service.create_category(name, slug=slug, parent_id=ids.get(parent),
                                                actor=actor).id
            created_categories += 1
    existing = set(db.session.scalars(
        select(Product.sku).where(Product.sku.in_([p[0] for p in PRODUCTS]))))
    rows = [
        {"sku": sku, "name": name, "price_amount": price, "currency": "EUR",
         "stock_on_hand": stock, "tax_category": tax, "active": sku not in INACTIVE,
         "category_id": str(ids[cat]) if cat else None,
         "description": f"{name}. Demo product of the NextGen Market catalogue."}
        for sku, name, cat, price, stock, tax in PRODUCTS if sku not in existing
    ]
    created = len(service.bulk_upsert_by_sku(rows, actor=actor).created) if rows else 0
    return {"categories": created_categories, "products": created}
