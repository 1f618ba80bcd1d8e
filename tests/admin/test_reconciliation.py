"""The reconciliation report in the back office: finance and admins read it (list,
detail, CSV), support may not, and nobody can change a row."""
import pytest

from app.extensions import db
from app.payments.reconciliation_models import ReconciliationItem


@pytest.fixture
def item(app):
    row = ReconciliationItem(gateway="paypal", kind="payment",
                             gateway_object_id="5O190127TN364715T",
                             issue="amount_mismatch", ours="9000 GBP", theirs="8999 GBP",
                             detail="Amounts differ by -1 minor units.")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize("role, status", [("finance", 200), ("admin", 200), ("support", 403)])
def test_who_reads_the_report(login_as, item, role, status):
    bo, _ = login_as(role)
    resp = bo.get("/admin/reconciliation/")
    assert resp.status_code == status
    if status == 200:
        html = resp.get_data(as_text=True)
        assert "5O190127TN364715T" in html and "amount mismatch" in html
        assert "9000 GBP" in html and "8999 GBP" in html
        assert bo.get(f"/admin/reconciliation/details/?id={item.id}").status_code == 200
        csv = bo.get("/admin/reconciliation/export/csv/").get_data(as_text=True)
        assert "Amounts differ by -1 minor units." in csv


def test_rows_cannot_be_changed(login_as, item):
    bo, _ = login_as("admin")
    assert bo.get("/admin/reconciliation/new/").status_code in (403, 404, 405)
    assert bo.get(f"/admin/reconciliation/edit/?id={item.id}").status_code in (403, 404, 405)
    resp = bo.post("/admin/reconciliation/delete/", {"id": str(item.id)},
                   token_from="/admin/reconciliation/")
    assert resp.status_code in (403, 404, 405)
    db.session.expire_all()
    assert db.session.get(ReconciliationItem, item.id) is not None
