"""bank transfers and refund approvals (maker-checker)

Bank transfers received are recorded, applied when they pay an open invoice or an
unpaid order exactly, otherwise held with the reason. Refund requests above the
approval threshold wait for a second staff member; the database refuses a decision
taken by the requester.

Revision ID: 0014_bank_transfers
Revises: 0013_audit_origin
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0014_bank_transfers'
down_revision = '0013_audit_origin'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_transfers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.String(length=140), nullable=False),
    sa.Column('value_date', sa.Date(), nullable=False),
    sa.Column('payer_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('hold_reason', sa.String(length=40), nullable=True),
    sa.Column('hold_message', sa.String(length=300), nullable=True),
    sa.Column('invoice_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    sa.Column('resolved_by', sa.String(length=255), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('applied_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_bank_transfers_amount_positive')),
    sa.CheckConstraint("status IN ('applied', 'held', 'returned')", name=op.f('ck_bank_transfers_status_known')),
    sa.CheckConstraint("status <> 'held' OR hold_reason IS NOT NULL", name=op.f('ck_bank_transfers_held_has_reason')),
    sa.CheckConstraint("status <> 'applied' OR invoice_id IS NOT NULL OR order_id IS NOT NULL", name=op.f('ck_bank_transfers_applied_has_target')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_bank_transfers_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_bank_transfers_order_id_orders')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_bank_transfers_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_transfers'))
    )
    with op.batch_alter_table('bank_transfers', schema=None) as batch_op:
        batch_op.create_index('ix_bank_transfers_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_bank_transfers_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transfers_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_transfers_order_id'), ['order_id'], unique=False)

    op.create_table('refund_requests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by', sa.String(length=255), nullable=False),
    sa.Column('requested_by_label', sa.String(length=255), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=True),
    sa.Column('decided_by_label', sa.String(length=255), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=False),
    sa.Column('refund_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_refund_requests_amount_positive')),
    sa.CheckConstraint("status IN ('requested', 'approved', 'rejected')", name=op.f('ck_refund_requests_status_known')),
    sa.CheckConstraint('decided_by IS NULL OR decided_by <> requested_by', name=op.f('ck_refund_requests_not_decided_by_requester')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refund_requests_payment_id_payments')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_refund_requests_refund_id_refunds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_requests'))
    )
    with op.batch_alter_table('refund_requests', schema=None) as batch_op:
        batch_op.create_index('ix_refund_requests_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_requests_payment_id'), ['payment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('refund_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_requests_payment_id'))
        batch_op.drop_index('ix_refund_requests_status_created')
    op.drop_table('refund_requests')
    with op.batch_alter_table('bank_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_transfers_order_id'))
        batch_op.drop_index(batch_op.f('ix_bank_transfers_invoice_id'))
        batch_op.drop_index('ix_bank_transfers_status_created')
        batch_op.drop_index('ix_bank_transfers_created_at_id')
    op.drop_table('bank_transfers')
