"""products: covering list index and a price index

A deep page skipped ~5,000 whole rows (sorted on disk when the planner chose a sequential
scan) and the count read the table. The list index now carries the filter columns, so
PostgreSQL skips and counts in the index alone; the price index serves price sorts and
price-range counts.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

PG_ACTIVE = sa.text('active IS TRUE')
SQLITE_ACTIVE = sa.text('active = 1')
INCLUDE = ['price_amount', 'stock_on_hand', 'currency', 'category_id']


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_active_name_id', postgresql_where=PG_ACTIVE,
                            sqlite_where=SQLITE_ACTIVE)
        batch_op.create_index('ix_products_active_name_id', ['name', 'id'], unique=False,
                              postgresql_include=INCLUDE, postgresql_where=PG_ACTIVE,
                              sqlite_where=SQLITE_ACTIVE)
        batch_op.create_index('ix_products_active_price_id', ['price_amount', 'id'],
                              unique=False, postgresql_where=PG_ACTIVE,
                              sqlite_where=SQLITE_ACTIVE)


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_active_price_id', postgresql_where=PG_ACTIVE,
                            sqlite_where=SQLITE_ACTIVE)
        batch_op.drop_index('ix_products_active_name_id', postgresql_where=PG_ACTIVE,
                            sqlite_where=SQLITE_ACTIVE)
        batch_op.create_index('ix_products_active_name_id', ['name', 'id'], unique=False,
                              postgresql_where=PG_ACTIVE, sqlite_where=SQLITE_ACTIVE)
