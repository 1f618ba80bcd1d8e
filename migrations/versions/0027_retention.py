"""retention: indexes the purge of finished webhook deliveries and gateway events walks

Revision ID: 0027_retention
Revises: 0026_payout

app.retention deletes, oldest first, webhook deliveries by completed_at and gateway
events by processed_at; without these PostgreSQL reads each whole table per batch. The
outbox and webhook events are walked by their existing created_at indexes.

Built CONCURRENTLY on PostgreSQL (outside the migration's transaction): these are the
tables that grew without bound, and a plain CREATE INDEX would stop their writes (webhook
deliveries, incoming gateway events) for as long as the build takes.
"""
from alembic import op

revision = '0027_retention'
down_revision = '0026_payout'
branch_labels = None
depends_on = None


INDEXES = (('ix_webhook_deliveries_completed_at', 'webhook_deliveries', 'completed_at'),
           ('ix_gateway_events_processed_at', 'gateway_events', 'processed_at'))


def upgrade():
    with op.get_context().autocommit_block():
        for name, table, column in INDEXES:
            op.create_index(name, table, [column], postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        for name, table, _ in INDEXES:
            op.drop_index(name, table_name=table, postgresql_concurrently=True)
