"""Alembic autogenerate settings."""

# PostgreSQL-only objects made by migrations (a generated tsvector column and its index)
# that the models, shared with SQLite, cannot describe; autogenerate must leave them be.
MIGRATION_ONLY = {("index", "ix_products_search_vector"), ("column", "search_vector")}


def include_object(obj, name, type_, reflected, compare_to):
    return (type_, name) not in MIGRATION_ONLY
