"""money: 64-bit amounts, tax on orders, payment and credit sums on invoices, issued
invoices immutable in the database

Amount columns were 32-bit: a large JPY order was a 500 on PostgreSQL. Rates get six
decimals (8.875 %). Orders carry their tax (per line, breakdown, supply date) so the
invoice of an order is the order. On PostgreSQL, triggers refuse any change to what an
issued invoice says and to its lines, whatever path the change takes.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

AMOUNTS = {
    'products': ['price_amount'],
    'orders': ['subtotal_amount', 'total_amount'],
    'order_lines': ['unit_price_amount', 'line_total_amount'],
    'invoices': ['subtotal_amount', 'tax_amount', 'total_amount'],
    'invoice_lines': ['unit_amount', 'net_amount', 'tax_amount', 'gross_amount'],
}
RATES = {'tax_rates': 'rate', 'invoice_lines': 'tax_rate'}
# Kept in step with app.invoices.models.FIXED_COLUMNS.
FIXED = ['kind', 'series', 'number', 'customer_id', 'order_id', 'credit_note_for_id', 'currency',
         'tax_inclusive', 'reverse_charge', 'subtotal_amount', 'tax_amount', 'total_amount',
         'issue_date', 'due_date', 'tax_date', 'finalised_at', 'notes']
FIXED_JSON = ['buyer', 'seller']


def _amount(name, default=None):
    return sa.Column(name, sa.BigInteger(), nullable=False,
                     server_default=sa.text(str(default)) if default is not None else None)


def _postgresql():
    return op.get_context().dialect.name == 'postgresql'


def upgrade():
    # SQLite's INTEGER is already 64-bit and its NUMERIC has no scale: only PostgreSQL
    # changes types (recreating SQLite tables would also drop their partial indexes).
    if _postgresql():
        for table, columns in AMOUNTS.items():
            for column in columns:
                op.alter_column(table, column, existing_type=sa.Integer(), type_=sa.BigInteger())
        for table, column in RATES.items():
            op.alter_column(table, column, existing_type=sa.Numeric(6, 4), type_=sa.Numeric(9, 6))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_inclusive', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(_amount('tax_amount', 0))
        batch_op.add_column(sa.Column('tax_breakdown', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('tax_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('payment_reference', sa.String(length=100), nullable=True))
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate', sa.Numeric(9, 6), nullable=False,
                                      server_default=sa.text('0')))
        batch_op.add_column(_amount('net_amount', 0))
        batch_op.add_column(_amount('tax_amount', 0))
        batch_op.add_column(_amount('gross_amount', 0))
    op.execute("UPDATE orders SET tax_breakdown = '[]'")
    # Orders placed before tax at checkout: untaxed, their total was the net.
    op.execute("UPDATE order_lines SET net_amount = line_total_amount, "
               "gross_amount = line_total_amount")

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(_amount('amount_paid', 0))
        batch_op.add_column(_amount('amount_credited', 0))
        batch_op.add_column(sa.Column('payment_reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('tax_date', sa.Date(), nullable=True))
        batch_op.create_check_constraint('sums_not_negative',
                                         'amount_credited >= 0 AND amount_paid >= 0')
        batch_op.create_check_constraint('credited_within_total',
                                         "kind <> 'invoice' OR amount_credited <= total_amount")
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credits_line_id', sa.Uuid(), nullable=True))
        batch_op.create_index('ix_invoice_lines_credits_line_id', ['credits_line_id'])
        batch_op.create_foreign_key('fk_invoice_lines_credits_line_id', 'invoice_lines',
                                    ['credits_line_id'], ['id'])
    op.execute("UPDATE invoices SET amount_paid = total_amount "
               "WHERE status = 'paid' AND kind = 'invoice'")
    op.execute("UPDATE invoices SET tax_date = issue_date")

    if _postgresql():
        changed = ' OR '.join(
            [f'NEW.{c} IS DISTINCT FROM OLD.{c}' for c in FIXED]
            + [f'NEW.{c}::text IS DISTINCT FROM OLD.{c}::text' for c in FIXED_JSON])
        op.execute(f"""
            CREATE FUNCTION invoices_issued_immutable() RETURNS trigger AS $$
            BEGIN
                IF OLD.number IS NOT NULL AND (TG_OP = 'DELETE' OR {changed}) THEN
                    RAISE EXCEPTION 'invoice % is issued and cannot change', OLD.number
                        USING ERRCODE = 'check_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER invoices_issued_no_change BEFORE UPDATE OR DELETE ON invoices
            FOR EACH ROW EXECUTE FUNCTION invoices_issued_immutable()""")
        # FOR SHARE waits for a finalisation in flight: a line lands before the number
        # or is refused, never after.
        op.execute("""
            CREATE FUNCTION invoice_lines_issued_immutable() RETURNS trigger AS $$
            DECLARE issued text;
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    SELECT number INTO issued FROM invoices WHERE id = OLD.invoice_id FOR SHARE;
                    IF issued IS NOT NULL THEN
                        RAISE EXCEPTION 'invoice % is issued: its lines cannot change', issued
                            USING ERRCODE = 'check_violation';
                    END IF;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    SELECT number INTO issued FROM invoices WHERE id = NEW.invoice_id FOR SHARE;
                    IF issued IS NOT NULL THEN
                        RAISE EXCEPTION 'invoice % is issued: its lines cannot change', issued
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END IF;
                RETURN OLD;
            END $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER invoice_lines_issued_no_change
            BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
            FOR EACH ROW EXECUTE FUNCTION invoice_lines_issued_immutable()""")


def downgrade():
    if _postgresql():
        op.execute("DROP TRIGGER IF EXISTS invoice_lines_issued_no_change ON invoice_lines")
        op.execute("DROP FUNCTION IF EXISTS invoice_lines_issued_immutable()")
        op.execute("DROP TRIGGER IF EXISTS invoices_issued_no_change ON invoices")
        op.execute("DROP FUNCTION IF EXISTS invoices_issued_immutable()")
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.drop_constraint('fk_invoice_lines_credits_line_id', type_='foreignkey')
        batch_op.drop_index('ix_invoice_lines_credits_line_id')
        batch_op.drop_column('credits_line_id')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint('credited_within_total', type_='check')
        batch_op.drop_constraint('sums_not_negative', type_='check')
        for column in ('tax_date', 'payment_reference', 'amount_credited', 'amount_paid'):
            batch_op.drop_column(column)
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        for column in ('gross_amount', 'tax_amount', 'net_amount', 'tax_rate'):
            batch_op.drop_column(column)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for column in ('payment_reference', 'tax_date', 'tax_breakdown', 'tax_amount',
                       'tax_inclusive'):
            batch_op.drop_column(column)
    if _postgresql():
        for table, column in RATES.items():
            op.alter_column(table, column, existing_type=sa.Numeric(9, 6), type_=sa.Numeric(6, 4))
        for table, columns in AMOUNTS.items():
            for column in columns:
                op.alter_column(table, column, existing_type=sa.BigInteger(), type_=sa.Integer())
