"""products: stored tsvector for search and ranking

Ranking with ts_rank recomputed to_tsvector() for every matching row; a stored generated
column is computed once per write and indexed itself.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

DOCUMENT = ("setweight(to_tsvector('english', coalesce(name, '') || ' ' || coalesce(sku, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(description, '')), 'B')")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches with LIKE (app.catalog.search.sqlite)
    op.execute(f"ALTER TABLE products ADD COLUMN search_vector tsvector "
               f"GENERATED ALWAYS AS ({DOCUMENT}) STORED")
    op.execute("CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)")
    op.execute("DROP INDEX IF EXISTS ix_products_search")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_products_search ON products USING gin (({DOCUMENT}))")
    op.execute("DROP INDEX IF EXISTS ix_products_search_vector")
    op.execute("ALTER TABLE products DROP COLUMN search_vector")
