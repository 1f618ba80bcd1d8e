"""Alembic autogenerate settings."""

# Indexes that exist only in migrations (PostgreSQL expression indexes SQLAlchemy's models
# cannot describe on both dialects); autogenerate must not propose dropping them.
MIGRATION_ONLY_INDEXES = {"ix_products_search"}


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)
