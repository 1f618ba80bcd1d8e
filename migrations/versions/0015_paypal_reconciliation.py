"""payments: the reconciliation report (PayPal needs no table of its own)

Revision ID: 0015_paypal_reconciliation
Revises: 0014_bank_transfers
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0015_paypal_reconciliation'
down_revision = '0014_bank_transfers'
branch_labels = None
depends_on = None


def _at(name):
    return sa.Column(name, app.core.types.UTCDateTime(timezone=True), nullable=False)


def upgrade():
    op.create_table('reconciliation_items',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('gateway_object_id', sa.String(length=255), nullable=False),
    sa.Column('issue', sa.String(length=30), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('refund_id', sa.Uuid(), nullable=True),
    sa.Column('ours', sa.String(length=200), nullable=True),
    sa.Column('theirs', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=False),
    _at('first_seen_at'),
    _at('last_seen_at'),
    sa.Column('times_seen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_reconciliation_items_payment_id_payments')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_reconciliation_items_refund_id_refunds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_items')),
    sa.UniqueConstraint('gateway', 'gateway_object_id', 'issue', name=op.f('uq_reconciliation_items_gateway'))
    )
    op.create_index('ix_reconciliation_items_last_seen', 'reconciliation_items', ['last_seen_at'], unique=False)


def downgrade():
    op.drop_index('ix_reconciliation_items_last_seen', table_name='reconciliation_items')
    op.drop_table('reconciliation_items')
