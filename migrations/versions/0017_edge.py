"""security: one-time links that let a staff member set up a first second factor

Revision ID: 0016_edge
Revises: 0015_paypal_reconciliation
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0016_edge'
down_revision = "0016_order_numbers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_mfa_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=False),
    sa.Column('requested_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.String(length=255), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('expires_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_mfa_links_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_mfa_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_mfa_links_token_hash'))
    )
    with op.batch_alter_table('staff_mfa_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_mfa_links_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_mfa_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_mfa_links_staff_id'))
    op.drop_table('staff_mfa_links')
