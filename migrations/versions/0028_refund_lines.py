"""payments: refunds (and refund requests) of returned items, by invoice lines

Revision ID: 0028_refund_lines
Revises: 0027_retention
"""
from alembic import op
import sqlalchemy as sa

revision = '0028_refund_lines'
down_revision = '0027_retention'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('refunds', 'refund_requests'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('lines', sa.JSON(), nullable=True))


def downgrade():
    for table in ('refund_requests', 'refunds'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('lines')
