"""audit: a hash chain over the entries, its head, and the archives kept in object storage

Existing entries are chained in (occurred_at, id) order. On PostgreSQL the append-only
trigger now lets a transaction seal its own entries (set seq/prev_hash/hash once, nothing
else) and lets the archive job delete sealed entries it has archived (SET LOCAL
nextgen.audit_archiving = 'on'); everything else stays refused.

Revision ID: 0016_audit_chain
Revises: 0015_paypal_reconciliation
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = '0016_audit_chain'
down_revision = '0016_fraud'
branch_labels = None
depends_on = None

_COLUMNS = ("id", "occurred_at", "actor_kind", "actor_id", "actor_label", "action",
            "target_type", "target_id", "before", "after", "request_id",
            "client_request_id", "ip")

_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND ({new}) IS NOT DISTINCT FROM ({old}) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND OLD.seq IS NOT NULL
       AND current_setting('nextgen.audit_archiving', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql
"""


def _row(prefix):
    return ", ".join(f"{prefix}.{c}::text" if c in ("before", "after") else f"{prefix}.{c}"
                     for c in _COLUMNS)


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_seq'), ['seq'])
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    op.create_table('audit_archives',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('first_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('restored_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_archives')),
    sa.UniqueConstraint('name', name=op.f('uq_audit_archives_name')),
    sa.UniqueConstraint('last_seq', name=op.f('uq_audit_archives_last_seq'))
    )
    op.create_index(op.f('ix_audit_archives_first_seq'), 'audit_archives', ['first_seq'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(_TRIGGER_FUNCTION.format(new=_row("NEW"), old=_row("OLD")))
    _chain_existing(bind)


def _chain_existing(bind):
    # The hash format is app.audit.chain's (what verify and every archive use).
    from app.audit.chain import GENESIS, entry_hash

    table = sa.table(
        'audit_entries', sa.column('id', app.core.types.UUID),
        sa.column('occurred_at', app.core.types.UTCDateTime(timezone=True)),
        *(sa.column(c, sa.JSON) if c in ("before", "after") else
          sa.column(c, app.core.types.UUID) if c == "actor_id" else sa.column(c, sa.String)
          for c in _COLUMNS[2:]),
        sa.column('seq', sa.BigInteger), sa.column('prev_hash', sa.String),
        sa.column('hash', sa.String))
    rows = bind.execute(sa.select(table).order_by(table.c.occurred_at, table.c.id)).mappings()
    seq, prev = 0, GENESIS
    for row in rows.all():
        seq += 1
        digest = entry_hash(dict(row, seq=seq), prev)
        bind.execute(sa.update(table).where(table.c.id == row["id"])
                     .values(seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                 {"seq": seq, "hash": prev})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE OR REPLACE FUNCTION audit_entries_immutable() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit entries are append-only'; END;
            $$ LANGUAGE plpgsql
        """)
    op.drop_index(op.f('ix_audit_archives_first_seq'), table_name='audit_archives')
    op.drop_table('audit_archives')
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
