"""card country and fingerprint (as Stripe tells them) on saved cards and payments, for
fraud rules, allow/block lists and velocity by card

Revision ID: 0023_fraudcard
Revises: 0017_backoffice
"""
from alembic import op
import sqlalchemy as sa

revision = '0023_fraudcard'
down_revision = '0017_backoffice'
branch_labels = None
depends_on = None

TABLES = ('payment_methods', 'payments')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('card_country', sa.String(2), nullable=True))
            batch.add_column(sa.Column('card_fingerprint', sa.String(64), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('card_fingerprint')
            batch.drop_column('card_country')
