"""payments: a refund that pays out a held credit note, and its approval request

Revision ID: 0026_payout
Revises: 0025_credited_amount

A credit note issued apart from a refund is a credit the customer holds; a refund may later
give that money back. It names the note instead of issuing a second one, and at most one
refund that is not failed may name a note (the partial unique index), so the same credit
is never paid out twice.
"""
from alembic import op
import sqlalchemy as sa

revision = '0026_payout'
down_revision = '0025_credited_amount'
branch_labels = None
depends_on = None

LIVE = "status IN ('pending', 'succeeded') AND pays_out_credit_note_id IS NOT NULL"


def upgrade():
    with op.batch_alter_table('refunds') as batch:
        batch.add_column(sa.Column('pays_out_credit_note_id', sa.Uuid(), nullable=True))
        batch.create_foreign_key('fk_refunds_pays_out_credit_note_id_invoices', 'invoices',
                                 ['pays_out_credit_note_id'], ['id'])
    op.create_index('uq_refunds_live_payout', 'refunds', ['pays_out_credit_note_id'],
                    unique=True, postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))
    with op.batch_alter_table('refund_requests') as batch:
        batch.add_column(sa.Column('pays_out_credit_note_id', sa.Uuid(), nullable=True))
        batch.create_foreign_key('fk_refund_requests_pays_out_credit_note_id_invoices',
                                 'invoices', ['pays_out_credit_note_id'], ['id'])


def downgrade():
    with op.batch_alter_table('refund_requests') as batch:
        batch.drop_constraint('fk_refund_requests_pays_out_credit_note_id_invoices',
                              type_='foreignkey')
        batch.drop_column('pays_out_credit_note_id')
    op.drop_index('uq_refunds_live_payout', table_name='refunds')
    with op.batch_alter_table('refunds') as batch:
        batch.drop_constraint('fk_refunds_pays_out_credit_note_id_invoices', type_='foreignkey')
        batch.drop_column('pays_out_credit_note_id')

