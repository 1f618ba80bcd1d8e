"""webhooks: partners' endpoints, public events, deliveries and their attempts, and
per-object sequence numbers

Revision ID: 0012_webhooks
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0012_webhooks'
down_revision = '0011_payments'
branch_labels = None
depends_on = None


def _at(name, nullable=False):
    return sa.Column(name, app.core.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table('webhook_endpoints',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('api_key_id', sa.Uuid(), nullable=True),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('event_types', sa.JSON(), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('previous_secret', sa.String(length=100), nullable=True),
    _at('previous_secret_expires_at', True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=300), nullable=True),
    _at('disabled_at', True),
    _at('failing_since', True),
    sa.Column('created_by', sa.String(length=255), nullable=False),
    _at('created_at'),
    _at('updated_at'),
    _at('deleted_at', True),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'],
                            name=op.f('fk_webhook_endpoints_api_key_id_api_keys')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints'))
    )
    op.create_index(op.f('ix_webhook_endpoints_api_key_id'), 'webhook_endpoints',
                    ['api_key_id'], unique=False)

    op.create_table('webhook_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('source_event_id', sa.Uuid(), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    _at('created_at'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_events')),
    sa.UniqueConstraint('source_event_id', name=op.f('uq_webhook_events_source_event_id'))
    )
    op.create_index(op.f('ix_webhook_events_type'), 'webhook_events', ['type'], unique=False)
    op.create_index('ix_webhook_events_created_at_id', 'webhook_events', ['created_at', 'id'],
                    unique=False)
    op.create_index('ix_webhook_events_object', 'webhook_events', ['object_id', 'sequence'],
                    unique=False)

    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('endpoint_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    _at('next_attempt_at', True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    _at('created_at'),
    _at('updated_at'),
    _at('completed_at', True),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'],
                            name=op.f('fk_webhook_deliveries_endpoint_id_webhook_endpoints')),
    sa.ForeignKeyConstraint(['event_id'], ['webhook_events.id'],
                            name=op.f('fk_webhook_deliveries_event_id_webhook_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    op.create_index(op.f('ix_webhook_deliveries_event_id'), 'webhook_deliveries', ['event_id'],
                    unique=False)
    op.create_index('ix_webhook_deliveries_endpoint_created', 'webhook_deliveries',
                    ['endpoint_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries',
                    ['status', 'next_attempt_at'], unique=False)

    op.create_table('webhook_attempts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('delivery_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    _at('started_at'),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_excerpt', sa.Text(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    _at('next_retry_at', True),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'],
                            name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts')),
    sa.UniqueConstraint('delivery_id', 'number', name=op.f('uq_webhook_attempts_delivery_id'))
    )

    op.create_table('webhook_sequences',
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('object_id', name=op.f('pk_webhook_sequences'))
    )


def downgrade():
    op.drop_table('webhook_sequences')
    op.drop_table('webhook_attempts')
    op.drop_index('ix_webhook_deliveries_due', table_name='webhook_deliveries')
    op.drop_index('ix_webhook_deliveries_endpoint_created', table_name='webhook_deliveries')
    op.drop_index(op.f('ix_webhook_deliveries_event_id'), table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index('ix_webhook_events_object', table_name='webhook_events')
    op.drop_index('ix_webhook_events_created_at_id', table_name='webhook_events')
    op.drop_index(op.f('ix_webhook_events_type'), table_name='webhook_events')
    op.drop_table('webhook_events')
    op.drop_index(op.f('ix_webhook_endpoints_api_key_id'), table_name='webhook_endpoints')
    op.drop_table('webhook_endpoints')
