"""products: index for newest-first lists

Cursor pages seek in an index for every sort; newest first had none, so each page
sorted every active product.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

PG_ACTIVE = sa.text('active IS TRUE')
SQLITE_ACTIVE = sa.text('active = 1')


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_active_created_id', ['created_at', 'id'],
                              unique=False, postgresql_where=PG_ACTIVE,
                              sqlite_where=SQLITE_ACTIVE)


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_active_created_id', postgresql_where=PG_ACTIVE,
                            sqlite_where=SQLITE_ACTIVE)
