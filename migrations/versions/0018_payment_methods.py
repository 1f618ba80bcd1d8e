"""payments: saved payment methods (cards kept at Stripe, shown masked), each user's
customer at a gateway, and payments of invoices that have no order

Revision ID: 0016_payment_methods
Revises: 0015_paypal_reconciliation
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0016_payment_methods'
down_revision = '0016_edge'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('pending', 'requires_action')")


def _at(name, nullable=False):
    return sa.Column(name, app.core.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table('gateway_customers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('gateway_customer_id', sa.String(length=255), nullable=False),
    _at('created_at'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_gateway_customers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_customers')),
    sa.UniqueConstraint('gateway', 'gateway_customer_id', name=op.f('uq_gateway_customers_gateway')),
    sa.UniqueConstraint('user_id', 'gateway', name=op.f('uq_gateway_customers_user_id'))
    )
    op.create_table('payment_methods',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('gateway_payment_method_id', sa.String(length=255), nullable=False),
    sa.Column('brand', sa.String(length=30), nullable=False),
    sa.Column('last4', sa.String(length=4), nullable=False),
    sa.Column('exp_month', sa.Integer(), nullable=False),
    sa.Column('exp_year', sa.Integer(), nullable=False),
    _at('created_at'),
    _at('detached_at', nullable=True),
    sa.CheckConstraint('exp_month BETWEEN 1 AND 12', name=op.f('ck_payment_methods_exp_month_valid')),
    sa.CheckConstraint('length(last4) = 4', name=op.f('ck_payment_methods_last4_four_digits')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payment_methods_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_methods')),
    sa.UniqueConstraint('gateway', 'gateway_payment_method_id', name=op.f('uq_payment_methods_gateway'))
    )
    op.create_index('ix_payment_methods_user_created', 'payment_methods',
                    ['user_id', 'created_at', 'id'], unique=False)
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('order_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.add_column(sa.Column('payment_method_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payments_payment_method_id_payment_methods'),
                                    'payment_methods', ['payment_method_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_payments_pays_something'),
                                         'order_id IS NOT NULL OR invoice_id IS NOT NULL')
    # One payment in flight per invoice paid without an order (as per order).
    op.create_index('uq_payments_one_open_per_invoice', 'payments', ['invoice_id'], unique=True,
                    postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    op.drop_index('uq_payments_one_open_per_invoice', table_name='payments')
    # Payments of invoices without an order are money records: never dropped silently.
    if op.get_bind().execute(sa.text("SELECT 1 FROM payments WHERE order_id IS NULL")).first():
        raise RuntimeError("payments of invoices without an order exist: they would not fit "
                           "0015's schema; keep 0016")
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_payments_pays_something'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_payments_payment_method_id_payment_methods'),
                                 type_='foreignkey')
        batch_op.drop_column('payment_method_id')
        batch_op.alter_column('order_id', existing_type=sa.Uuid(), nullable=False)
    op.drop_index('ix_payment_methods_user_created', table_name='payment_methods')
    op.drop_table('payment_methods')
    op.drop_table('gateway_customers')
