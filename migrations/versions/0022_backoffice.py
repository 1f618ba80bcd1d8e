"""back office: daily sales rollup, indexes for figures by day, staff time zone

Revision ID: 0017_backoffice
Revises: 0016_order_numbers
"""
from alembic import op
import sqlalchemy as sa

revision = '0017_backoffice'
down_revision = '0016_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'daily_sales',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('orders_placed', sa.Integer(), nullable=False),
        sa.Column('orders_paid', sa.Integer(), nullable=False),
        sa.Column('net_amount', sa.BigInteger(), nullable=False),
        sa.Column('tax_amount', sa.BigInteger(), nullable=False),
        sa.Column('refunded_amount', sa.BigInteger(), nullable=False),
        sa.Column('payments_succeeded', sa.Integer(), nullable=False),
        sa.Column('payments_failed', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day', 'currency'),
    )
    op.create_table(
        'daily_sales_by_rate',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('tax_rate', sa.Numeric(9, 6), nullable=False),
        sa.Column('net_amount', sa.BigInteger(), nullable=False),
        sa.Column('tax_amount', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'currency', 'tax_rate'),
    )
    op.create_index('ix_orders_paid_at', 'orders',
                    ['paid_at', 'currency', 'subtotal_amount', 'tax_amount'])
    op.create_index('ix_refunds_created_at', 'refunds', ['created_at'])
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('timezone', sa.String(64), nullable=False,
                                   server_default='UTC'))


def downgrade():
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('timezone')
    op.drop_index('ix_refunds_created_at', table_name='refunds')
    op.drop_index('ix_orders_paid_at', table_name='orders')
    op.drop_table('daily_sales_by_rate')
    op.drop_table('daily_sales')
