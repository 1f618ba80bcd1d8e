"""reporting: credit notes that refunded nothing, per day (dashboard), and their index

Revision ID: 0025_credited_amount
Revises: 0023_bo2

The stored closed days are emptied: they were computed without the new figure, and the
dashboard (or `flask reporting rollup`) fills missing closed days again on first use, so
no day shows a credited amount of 0 it does not have.
"""
from alembic import op
import sqlalchemy as sa

revision = '0025_credited_amount'
down_revision = '0023_bo2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('daily_sales') as batch:
        batch.add_column(sa.Column('credited_amount', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    op.create_index('ix_invoices_kind_finalised_at', 'invoices', ['kind', 'finalised_at'])
    # Derived rows only: recomputed from orders, payments, refunds and invoices on demand.
    op.execute("DELETE FROM daily_sales_by_rate")
    op.execute("DELETE FROM daily_sales")


def downgrade():
    op.drop_index('ix_invoices_kind_finalised_at', table_name='invoices')
    with op.batch_alter_table('daily_sales') as batch:
        batch.drop_column('credited_amount')
