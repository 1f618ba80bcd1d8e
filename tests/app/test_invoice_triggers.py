"""PostgreSQL refuses any change to what an issued invoice says, whatever path the
change takes (raw SQL included): triggers from migration 0009."""
import pytest
from sqlalchemy import text

from app.extensions import db
from app.invoices import service
from app.invoices.models import Invoice
from tests.invoice_support import FINANCE, act, draft_with_lines, rates


def test_issued_invoices_refuse_changes_in_postgresql(pg_app):
    rates()
    invoice = draft_with_lines(("Widget", 4, 2500, "standard"), ("Book", 3, 1000, "reduced"))
    act(service.finalise, invoice.id, actor=FINANCE)
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


def test_a_legacy_buyer_that_is_not_valid_jsonb_still_moves(pg_app):
    """The trigger compares JSON as text: a lone surrogate stored before the text rule
    (PostgreSQL's json keeps it, jsonb would refuse it) never blocks sending or paying."""
    rates()
    invoice = draft_with_lines(("Widget", 1, 2500, "standard"))
    act(service.finalise, invoice.id, actor=FINANCE)
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(text("UPDATE invoices SET buyer = CAST(:v AS json) WHERE id = :id"),
                       {"v": '{"name": "Grace \\udfff", "email": "g@example.com"}',
                        "id": str(invoice.id)})
    db.session.commit()
    act(service.mark_paid, invoice.id, actor=FINANCE)
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).status == "paid"
