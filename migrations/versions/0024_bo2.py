"""back office: saved list filters per staff member

Revision ID: 0023_bo2
Revises: 0023_fraudcard
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0023_bo2'
down_revision = '0023_fraudcard'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_saved_filters',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('staff_id', sa.Uuid(), nullable=False),
        sa.Column('list_name', sa.String(80), nullable=False),
        sa.Column('name', sa.String(80), nullable=False),
        sa.Column('query', sa.String(2000), nullable=False),
        sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE',
                                name=op.f('fk_staff_saved_filters_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_saved_filters')),
        sa.UniqueConstraint('staff_id', 'list_name', 'name', name=op.f('uq_staff_saved_filters_name')),
    )


def downgrade():
    op.drop_table('staff_saved_filters')
