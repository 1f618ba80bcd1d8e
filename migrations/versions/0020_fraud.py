"""fraud: rules as data, rule changes (maker-checker), named lists, checks, review queue

Revision ID: 0016_fraud
Revises: 0015_paypal_reconciliation
"""
import uuid

from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0016_fraud'
down_revision = '0017_notifications'
branch_labels = None
depends_on = None


def _at(name, nullable=False):
    return sa.Column(name, app.core.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade():
    rules = op.create_table('fraud_rules',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('expression', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=255), nullable=False),
    _at('created_at'),
    _at('updated_at'),
    sa.CheckConstraint("action IN ('allow', 'block', 'review')", name=op.f('ck_fraud_rules_action_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fraud_rules')),
    sa.UniqueConstraint('name', name=op.f('uq_fraud_rules_name'))
    )
    op.create_table('fraud_rule_changes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rule_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('expression', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('impact_matched', sa.Integer(), nullable=False),
    sa.Column('impact_total', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.String(length=255), nullable=False),
    sa.Column('requested_by_label', sa.String(length=255), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=True),
    sa.Column('decided_by_label', sa.String(length=255), nullable=True),
    _at('decided_at', nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    _at('created_at'),
    _at('updated_at'),
    sa.CheckConstraint('decided_by IS NULL OR decided_by <> requested_by', name=op.f('ck_fraud_rule_changes_not_own_decision')),
    sa.ForeignKeyConstraint(['rule_id'], ['fraud_rules.id'], name=op.f('fk_fraud_rule_changes_rule_id_fraud_rules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fraud_rule_changes'))
    )
    op.create_index(op.f('ix_fraud_rule_changes_rule_id'), 'fraud_rule_changes', ['rule_id'], unique=False)
    op.create_index('ix_fraud_rule_changes_status_created', 'fraud_rule_changes', ['status', 'created_at'], unique=False)
    op.create_table('fraud_list_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('list_name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    _at('created_at'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fraud_list_entries')),
    sa.UniqueConstraint('list_name', 'value', name=op.f('uq_fraud_list_entries_list_name'))
    )
    op.create_table('fraud_checks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=True),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('ip_country', sa.String(length=2), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Uuid(), nullable=True),
    sa.Column('rule_name', sa.String(length=100), nullable=True),
    sa.Column('signals', sa.JSON(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=True),
    _at('created_at'),
    _at('evaluated_at', nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_fraud_checks_order_id_orders')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_fraud_checks_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fraud_checks'))
    )
    op.create_index('ix_fraud_checks_order_stage', 'fraud_checks', ['order_id', 'stage'], unique=False)
    op.create_table('fraud_reviews',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('check_id', sa.Uuid(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rule_name', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=True),
    sa.Column('decided_by_label', sa.String(length=255), nullable=True),
    _at('decided_at', nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    _at('created_at'),
    _at('updated_at'),
    sa.ForeignKeyConstraint(['check_id'], ['fraud_checks.id'], name=op.f('fk_fraud_reviews_check_id_fraud_checks')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_fraud_reviews_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fraud_reviews')),
    sa.UniqueConstraint('order_id', name=op.f('uq_fraud_reviews_order_id'))
    )
    op.create_index('ix_fraud_reviews_status_created', 'fraud_reviews', ['status', 'created_at', 'id'], unique=False)
    # Radar's defaults: the allow and block lists decide first.
    from datetime import datetime, timezone
    now = datetime.now(timezone.utc)
    op.bulk_insert(rules, [
        {"id": uuid.UUID("5d1f6a8e-0b7c-4c52-9f0e-3a1c2b4d5e01"), "position": 10,
         "name": "Allow listed", "expression": "on_allowlist", "action": "allow",
         "enabled": True, "version": 1, "updated_by": "system", "created_at": now,
         "updated_at": now},
        {"id": uuid.UUID("5d1f6a8e-0b7c-4c52-9f0e-3a1c2b4d5e02"), "position": 20,
         "name": "Block listed", "expression": "on_blocklist", "action": "block",
         "enabled": True, "version": 1, "updated_by": "system", "created_at": now,
         "updated_at": now},
    ])


def downgrade():
    op.drop_index('ix_fraud_reviews_status_created', table_name='fraud_reviews')
    op.drop_table('fraud_reviews')
    op.drop_index('ix_fraud_checks_order_stage', table_name='fraud_checks')
    op.drop_table('fraud_checks')
    op.drop_table('fraud_list_entries')
    op.drop_index('ix_fraud_rule_changes_status_created', table_name='fraud_rule_changes')
    op.drop_index(op.f('ix_fraud_rule_changes_rule_id'), table_name='fraud_rule_changes')
    op.drop_table('fraud_rule_changes')
    op.drop_table('fraud_rules')
