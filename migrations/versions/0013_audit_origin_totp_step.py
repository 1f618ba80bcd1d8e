"""security: where an audited request came from, and the last TOTP time step used

audit_entries.client_request_id keeps the caller's X-Request-ID apart from the request id
the server generates; audit_entries.ip is the client address seen through the trusted
proxies; staff.totp_last_step refuses a TOTP code used a second time (#13).

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = '0013_audit_origin'
down_revision = '0012_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_request_id', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('ip', sa.String(length=45), nullable=True))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('ip')
        batch_op.drop_column('client_request_id')
