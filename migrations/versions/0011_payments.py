"""payments: card payments (Stripe), refunds, gateway webhook events

A payment collects an order's open balance; refunds are their own rows, and the sums
on the payment (refunded, reserved by refunds in flight) can never exceed its amount.
Each gateway event is stored once by its id. Orders gain the status `refunded`
(a String column without a check constraint: no change here).

Revision ID: 0011_payments
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0011_payments'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gateway_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('gateway_event_id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_events')),
    sa.UniqueConstraint('gateway', 'gateway_event_id', name=op.f('uq_gateway_events_gateway'))
    )
    op.create_table('payments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_refunded', sa.BigInteger(), nullable=False),
    sa.Column('amount_refund_pending', sa.BigInteger(), nullable=False),
    sa.Column('gateway_payment_id', sa.String(length=255), nullable=True),
    sa.Column('next_action', sa.JSON(), nullable=True),
    sa.Column('failure_code', sa.String(length=100), nullable=True),
    sa.Column('failure_message', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('succeeded_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("method IN ('card', 'paypal', 'bank_transfer', 'wallet')", name=op.f('ck_payments_method_known')),
    sa.CheckConstraint("status IN ('pending', 'requires_action', 'succeeded', 'failed', 'cancelled', 'refunded')", name=op.f('ck_payments_status_known')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('amount_refunded + amount_refund_pending <= amount', name=op.f('ck_payments_refunds_within_amount')),
    sa.CheckConstraint('amount_refunded >= 0 AND amount_refund_pending >= 0', name=op.f('ck_payments_refunds_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name=op.f('fk_payments_customer_id_users')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payments_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('gateway_payment_id', name=op.f('uq_payments_gateway_payment_id'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index('ix_payments_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_payments_customer_created', ['customer_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_order_id'), ['order_id'], unique=False)
    # One payment in flight per order (a second could be confirmed and charge twice).
    op.create_index('uq_payments_one_open_per_order', 'payments', ['order_id'], unique=True,
                    postgresql_where=sa.text("status IN ('pending', 'requires_action')"),
                    sqlite_where=sa.text("status IN ('pending', 'requires_action')"))

    op.create_table('refunds',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('gateway_refund_id', sa.String(length=255), nullable=True),
    sa.Column('credit_note_id', sa.Uuid(), nullable=True),
    sa.Column('failure_code', sa.String(length=100), nullable=True),
    sa.Column('failure_message', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name=op.f('ck_refunds_status_known')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['invoices.id'], name=op.f('fk_refunds_credit_note_id_invoices')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('gateway_refund_id', name=op.f('uq_refunds_gateway_refund_id'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_payment_id'))

    op.drop_table('refunds')
    op.drop_index('uq_payments_one_open_per_order', table_name='payments')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_order_id'))
        batch_op.drop_index('ix_payments_customer_created')
        batch_op.drop_index('ix_payments_created_at_id')

    op.drop_table('payments')
    op.drop_table('gateway_events')
