"""notifications: the log and spool of every email and SMS; users get a language, a
verified phone and an SMS opt-in

Revision ID: 0017_notifications
Revises: 0016_order_numbers
"""
from alembic import op
import sqlalchemy as sa

revision = '0017_notifications'
down_revision = '0016_payment_methods'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('channel', sa.String(10), nullable=False),
        sa.Column('template', sa.String(60), nullable=False),
        sa.Column('recipient', sa.String(254), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=True),
        sa.Column('locale', sa.String(10), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('dedupe_key', sa.String(200), nullable=False),
        sa.Column('subject', sa.String(300), nullable=False),
        sa.Column('shown_text', sa.Text(), nullable=False),
        sa.Column('shown_html', sa.Text(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=True),
        sa.Column('provider_message_id', sa.String(200), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('resend_of', sa.Uuid(), nullable=True),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('claimed_at', TS, nullable=True),
        sa.Column('sent_at', TS, nullable=True),
        sa.Column('updated_at', TS, nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name='fk_notifications_user_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_notifications'),
        sa.UniqueConstraint('dedupe_key', name='uq_notifications_dedupe_key'),
    )
    for col in ('template', 'recipient', 'user_id', 'status', 'created_at'):
        op.create_index(f'ix_notifications_{col}', 'notifications', [col])
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('locale', sa.String(10), nullable=True))
        batch.add_column(sa.Column('phone_verified_at', TS, nullable=True))
        batch.add_column(sa.Column('phone_code_hash', sa.String(64), nullable=True))
        batch.add_column(sa.Column('phone_code_expires_at', TS, nullable=True))
        batch.add_column(sa.Column('phone_code_attempts', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('sms_opt_in', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('users') as batch:
        for col in ('sms_opt_in', 'phone_code_attempts', 'phone_code_expires_at',
                    'phone_code_hash', 'phone_verified_at', 'locale'):
            batch.drop_column(col)
    for col in ('template', 'recipient', 'user_id', 'status', 'created_at'):
        op.drop_index(f'ix_notifications_{col}', 'notifications')
    op.drop_table('notifications')
