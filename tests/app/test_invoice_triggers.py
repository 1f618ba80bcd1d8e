"""PostgreSQL refuses any change to what an issued invoice says, whatever path the
change takes (raw SQL included): triggers from migration 0009."""
import pytest
from sqlalchemy import text

from app.extensions import db
from app.invoices import service
from app.invoices.models import Invoice
from tests.invoice_support import FINANCE, draft_with_lines, rates


def test_issued_invoices_refuse_changes_in_postgresql(pg_app):
    rates()
    invoice = draft_with_lines(("Widget", 4, 2500, "standard"), ("Book", 3, 1000, "reduced"))
    service.finalise(invoice.id, actor=FINANCE)
    statements = [
        "UPDATE invoices SET total_amount = total_amount + 1 WHERE id = :id",
        "UPDATE invoices SET buyer = '{\"name\": \"x\"}' WHERE id = :id",
        "UPDATE invoice_lines SET quantity = 99 WHERE invoice_id = :id",
        "DELETE FROM invoice_lines WHERE invoice_id = :id",
        "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_amount,"
        " tax_category, tax_rate, net_amount, tax_amount, gross_amount) VALUES"
        " (gen_random_uuid(), :id, 9, 'late', 1, 1, 'standard', 0, 1, 0, 1)",
    ]
    for statement in statements:
        with pytest.raises(Exception, match="is issued"):
            db.session.execute(text(statement), {"id": invoice.id})
        db.session.rollback()
    db.session.execute(text("UPDATE invoices SET pdf_status = 'ready' WHERE id = :id"),
                       {"id": invoice.id})
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).total_amount == 15150
