"""orders: a human number (#1001...) from a sequence (PostgreSQL) or a counter row (SQLite)

Existing orders are numbered in the order they were placed.

Revision ID: 0016_order_numbers
Revises: 0015_paypal_reconciliation
"""
from alembic import op
import sqlalchemy as sa

revision = '0016_order_numbers'
down_revision = '0015_paypal_reconciliation'
branch_labels = None
depends_on = None

FIRST = 1001


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('number', sa.BigInteger(), nullable=True))
    if bind.dialect.name == 'postgresql':
        op.execute(f"CREATE SEQUENCE order_number_seq START {FIRST}")
        op.execute("UPDATE orders SET number = numbered.n FROM ("
                   f" SELECT id, {FIRST - 1} + row_number() OVER (ORDER BY created_at, id) AS n"
                   " FROM orders) AS numbered WHERE orders.id = numbered.id")
        op.execute("SELECT setval('order_number_seq', COALESCE(MAX(number), 0) + 1, false) "
                   "FROM orders WHERE number IS NOT NULL")
        op.execute("SELECT setval('order_number_seq', GREATEST(nextval('order_number_seq'), "
                   f"{FIRST}), false)")
    else:
        op.execute("UPDATE orders SET number = (SELECT COUNT(*) FROM orders AS earlier "
                   "WHERE earlier.created_at < orders.created_at OR (earlier.created_at = "
                   f"orders.created_at AND earlier.id <= orders.id)) + {FIRST - 1}")
        op.execute("INSERT INTO invoice_counters (series_key, last_number) "
                   f"SELECT 'order-number', COALESCE(MAX(number), {FIRST - 1}) FROM orders")
    with op.batch_alter_table('orders') as batch:
        batch.alter_column('number', existing_type=sa.BigInteger(), nullable=False)
        batch.create_unique_constraint('uq_orders_number', ['number'])


def downgrade():
    bind = op.get_bind()
    with op.batch_alter_table('orders') as batch:
        batch.drop_constraint('uq_orders_number', type_='unique')
        batch.drop_column('number')
    if bind.dialect.name == 'postgresql':
        op.execute("DROP SEQUENCE order_number_seq")
    else:
        op.execute("DELETE FROM invoice_counters WHERE series_key = 'order-number'")
