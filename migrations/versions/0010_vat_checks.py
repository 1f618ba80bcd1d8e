"""tax: VIES checks of buyers' VAT ids

Reverse charge needs a VAT id that VIES confirmed recently, not just a well-formed one;
each check is kept with its date (rows are only added).

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vat_checks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tax_id', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('checked_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vat_checks'))
    )
    with op.batch_alter_table('vat_checks', schema=None) as batch_op:
        batch_op.create_index('ix_vat_checks_tax_id_checked_at', ['tax_id', 'checked_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('vat_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_vat_checks_tax_id_checked_at')
    op.drop_table('vat_checks')
