import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UUID, UTCDateTime, new_id, utcnow
from app.extensions import db


class Category(db.Model):
    """A node of the browsing tree."""

    __tablename__ = "categories"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"), nullable=True,
                                                        index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Category | None"] = relationship(remote_side=[id])

    def __str__(self) -> str:
        return self.name


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        # The last line of defence against overselling: stock can never go negative.
        CheckConstraint("stock_on_hand >= 0", name="stock_not_negative"),
        CheckConstraint("price_amount >= 0", name="price_not_negative"),
        # The public list walks these instead of sorting every row. The filter columns are
        # included so that skipping to a deep page and counting read only the index
        # (PostgreSQL index-only scans); whole rows are fetched for the page alone.
        Index("ix_products_active_name_id", "name", "id",
              postgresql_include=["price_amount", "stock_on_hand", "currency", "category_id"],
              postgresql_where=text("active IS TRUE"), sqlite_where=text("active = 1")),
        Index("ix_products_active_price_id", "price_amount", "id",
              postgresql_where=text("active IS TRUE"), sqlite_where=text("active = 1")),
        # Newest first: a cursor seeks here instead of sorting every active product.
        Index("ix_products_active_created_id", "created_at", "id",
              postgresql_where=text("active IS TRUE"), sqlite_where=text("active = 1")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=new_id)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Money in integer minor units with an ISO 4217 currency, as Stripe does.
    price_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    tax_category: Mapped[str] = mapped_column(String(32), default="standard")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    stock_on_hand: Mapped[int] = mapped_column(Integer, default=0)
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"),
                                                          nullable=True, index=True)
    image_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship()

    def snapshot(self) -> dict:
        return {"sku": self.sku, "name": self.name, "description": self.description,
                "price_amount": self.price_amount, "currency": self.currency,
                "tax_category": self.tax_category, "active": self.active,
                "stock_on_hand": self.stock_on_hand,
                "category_id": str(self.category_id) if self.category_id else None,
                "image_url": self.image_url}

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"
