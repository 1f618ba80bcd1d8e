"""Orders in the back office: read by every role, moved only through app.orders.service."""
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEntry
from app.catalog.models import Product
from app.core.actor import Actor
from app.extensions import db
from app.orders import service as orders
from app.orders.models import Order, OrderHistory
from app.users import service as users
from tests.orders_support import ADDRESS, bulk_orders, product

pytestmark = pytest.mark.usefixtures("tax_rates")

LIST = "/admin/orders/"
MOVE = f"{LIST}transition/"
ALL = {"admin", "finance", "support"}


def _place(factories, *, qty=2, stock=10, price=1999, currency="EUR", email_addr=None,
           customer=None, item=None):
    customer = customer or factories.user(email_addr=email_addr)
    item = item or product(stock=stock, price=price, currency=currency)
    order = orders.place(customer.id, [{"product_id": str(item.id), "quantity": qty}], ADDRESS,
                         actor=users.actor_for(customer))
    return order, item, customer


def _details(order) -> str:
    return f"{LIST}details/?id={order.id}"


def _move(bo, order, move, **extra):
    return bo.post(MOVE, {"id": str(order.id), "move": move, **extra},
                   token_from=_details(order))


def _fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def _audit(order, action=None):
    stmt = select(AuditEntry).where(AuditEntry.target_type == "order",
                                    AuditEntry.target_id == str(order.id))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return db.session.scalars(stmt).all()


def _filter_arg(bo, column: str, operation: str) -> str:
    view = next(v for v in bo.client.application.extensions["admin"][0]._views  # noqa: SLF001
                if v.endpoint == "bo_orders")
    for index, flt in enumerate(view._filters):  # noqa: SLF001
        if str(flt.name) == column and str(flt.operation()) == operation:
            return f"flt0_{index}"
    raise AssertionError(f"no filter {column} {operation}")


# -- access ----------------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client, factories):
    order, _, _ = _place(factories)
    for url in (LIST, _details(order)):
        resp = client.get(url)
        assert resp.status_code == 302 and resp.location.startswith("/admin/login?next=")
    resp = client.post(MOVE, data={"id": str(order.id), "move": "cancel"})
    assert resp.status_code in (302, 400)  # no session: login (or the CSRF check first)
    assert _fresh(Order, order.id).status == "pending_payment"


@pytest.mark.parametrize("role", sorted(ALL))
def test_every_role_reads_nobody_creates_edits_or_deletes(login_as, factories, role):
    order, _, _ = _place(factories)
    bo, _ = login_as(role)
    assert bo.get(LIST).status_code == 200
    assert bo.get(_details(order)).status_code == 200
    assert bo.get(f"{LIST}new/").status_code == 403
    assert bo.get(f"{LIST}edit/?id={order.id}").status_code == 403
    resp = bo.post(f"{LIST}delete/", {"id": str(order.id)}, token_from=LIST)
    assert resp.status_code == 403
    assert _fresh(Order, order.id) is not None


# who may make which move
MATRIX = {"cancel": {"admin", "support"}, "fulfil": {"admin", "support"},
          "mark_paid": {"admin", "finance"}}


@pytest.mark.parametrize("role", sorted(ALL))
def test_moves_respect_roles(login_as, factories, role):
    bo, _ = login_as(role)
    for move, allowed in MATRIX.items():
        order, _, _ = _place(factories)
        if move == "fulfil":
            _pay(order)  # fulfilment follows payment
        before = _fresh(Order, order.id).status
        page = bo.get(_details(order)).get_data(as_text=True)
        assert (f'id="move-{move}"' in page) == (role in allowed), (role, move)

        resp = _move(bo, order, move)
        assert resp.status_code == (302 if role in allowed else 403), (role, move)
        if role in allowed:
            assert _fresh(Order, order.id).status == MOVED_TO[move]
        else:
            assert _fresh(Order, order.id).status == before
            resp = bo.action(LIST, move, [order.id])
            assert resp.status_code == 403, (role, move)
            assert _fresh(Order, order.id).status == before


MOVED_TO = {"cancel": "cancelled", "fulfil": "fulfilled", "mark_paid": "paid"}


def _pay(order):
    orders.mark_paid(order.id, actor=Actor.system("tests"))


def test_moves_without_csrf_token_are_refused(login_as, factories):
    order, _, _ = _place(factories)
    bo, _ = login_as("admin")
    bo.get(_details(order))
    resp = bo.client.post(MOVE, data={"id": str(order.id), "move": "cancel"})
    assert resp.status_code == 400
    resp = bo.client.post(f"{LIST}action/", data={"action": "cancel", "rowid": [str(order.id)]})
    assert resp.status_code == 400
    assert _fresh(Order, order.id).status == "pending_payment"


# -- list -------------------------------------------------------------------------------------

def test_list_newest_first_with_amounts_and_customers(login_as, factories):
    first, _, alice = _place(factories, email_addr="alice.orders@example.com", price=1234)
    second, _, bob = _place(factories, email_addr="bob.orders@example.com", price=1500,
                            currency="JPY", qty=1)
    bo, _ = login_as("finance")
    html = bo.get(LIST).get_data(as_text=True)
    assert html.index(str(second.id)[:8]) < html.index(str(first.id)[:8])
    assert "29.62 EUR" in html and "1,800 JPY" in html  # with GB VAT at 20 %
    assert alice.email in html and bob.email in html


def test_list_and_detail_show_the_order_number_and_find_by_it(login_as, factories):
    first, _, _ = _place(factories)
    second, _, _ = _place(factories)
    bo, _ = login_as("support")
    html = bo.get(LIST).get_data(as_text=True)
    assert f"#{second.number}" in html and f"#{first.number}" in html
    assert html.index(f"#{second.number}") < html.index(f"#{first.number}")
    assert f"#{first.number}" in bo.get(_details(first)).get_data(as_text=True)
    arg = _filter_arg(bo, "Order number", "equals")
    found = bo.get(f"{LIST}?{arg}={first.number}").get_data(as_text=True)
    assert str(first.id)[:8] in found and str(second.id)[:8] not in found


def test_list_filters(login_as, factories):
    paid, _, _ = _place(factories, email_addr="paid.customer@example.com", price=5000)
    _pay(paid)
    small, _, _ = _place(factories, email_addr="small.customer@example.com", price=100, qty=1)
    old, _, _ = _place(factories, email_addr="old.customer@example.com", price=2000, qty=1)
    db.session.execute(update(Order).where(Order.id == old.id).values(
        created_at=datetime(2020, 1, 15, 12, 0, tzinfo=timezone.utc)))
    db.session.commit()
    bo, _ = login_as("support")

    def found(query):
        html = bo.get(f"{LIST}?{query}").get_data(as_text=True)
        return {o.id for o in (paid, small, old) if str(o.id)[:8] in html}

    assert found(f"{_filter_arg(bo, 'Status', 'equals')}=paid") == {paid.id}
    assert found(f"{_filter_arg(bo, 'Customer email', 'contains')}=small.customer") == {small.id}
    assert found(f"{_filter_arg(bo, 'Customer email', 'contains')}=%25") == set()  # literal %
    assert found(f"{_filter_arg(bo, 'Total', 'at least')}=20") == {paid.id, old.id}
    assert found(f"{_filter_arg(bo, 'Total', 'at most')}=24.00") == {small.id, old.id}  # 20 + 20 %
    placed_before = _filter_arg(bo, "Placed", "smaller than")
    assert found(f"{placed_before}=2021-01-01+00:00:00") == {old.id}
    between = _filter_arg(bo, "Placed", "between")
    assert found(f"{between}=2020-01-01+00:00:00+to+2020-02-01+00:00:00") == {old.id}
    assert found(f"{_filter_arg(bo, 'Order id', 'equals')}={small.id}") == {small.id}


def test_list_costs_the_same_statements_at_any_size(login_as, factories, query_counter):
    customer = factories.user()
    items = [product(), product()]
    bo, _ = login_as("admin")
    counts = []
    for size in (5, 40):
        bulk_orders(customer.id, items, size)
        with query_counter() as counted:
            assert bo.get(f"{LIST}?page_size=50").status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1], counts


# -- detail -----------------------------------------------------------------------------------

def test_detail_shows_lines_history_and_audit(login_as, factories):
    order, item, customer = _place(factories, qty=3, price=1999)
    _pay(order)
    bo, _ = login_as("support")
    html = bo.get(_details(order)).get_data(as_text=True)
    lines = html[html.index('id="order-lines"'):html.index('id="order-history"')]
    assert item.sku in lines and "Widget" in lines and ">3<" in lines
    assert "19.99 EUR" in lines and "59.97 EUR" in lines
    # The tax charged at checkout, per line and in all (GB 20 %: 59.97 -> 11.99 tax).
    assert "20 %" in lines and "11.99 EUR" in lines and "71.96 EUR" in lines
    history = html[html.index('id="order-history"'):html.index('id="order-audit"')]
    assert "pending_payment" in history and "paid" in history
    audit = html[html.index('id="order-audit"'):]
    assert "order.place" in audit and "order.paid" in audit
    assert customer.email in html and "Ada Lovelace" in html


# -- moves ------------------------------------------------------------------------------------

def test_cancel_restocks_exactly_once(login_as, factories):
    order, item, _ = _place(factories, qty=4, stock=10)
    assert _fresh(Product, item.id).stock_on_hand == 6
    bo, agent = login_as("support")

    resp = _move(bo, order, "cancel", reason="Customer called")
    assert resp.status_code == 302 and resp.location.endswith(_details(order))
    assert _fresh(Order, order.id).status == "cancelled"
    assert _fresh(Product, item.id).stock_on_hand == 10

    # again, from the page and from the list: refused, stock untouched
    resp = _move(bo, order, "cancel")
    assert resp.status_code == 302
    html = bo.get(_details(order)).get_data(as_text=True)
    assert "An order that is cancelled cannot become cancelled." in html
    bo.action(LIST, "cancel", [order.id])
    assert _fresh(Product, item.id).stock_on_hand == 10

    entry, = _audit(order, "order.cancelled")
    assert entry.actor_id == agent.id and entry.after == {"status": "cancelled"}
    note = db.session.scalars(select(OrderHistory.note).where(
        OrderHistory.order_id == order.id, OrderHistory.to_status == "cancelled")).one()
    assert note == "Customer called"


def test_illegal_transition_is_a_message_and_changes_nothing(login_as, factories):
    order, item, _ = _place(factories, qty=2, stock=5)
    bo, _ = login_as("admin")
    page = bo.get(_details(order)).get_data(as_text=True)
    assert 'id="move-fulfil"' not in page  # not offered while unpaid...
    resp = _move(bo, order, "fulfil")      # ...and refused when sent anyway
    assert resp.status_code == 302
    html = bo.get(_details(order)).get_data(as_text=True)
    assert "An order that is pending payment cannot become fulfilled." in html
    after = _fresh(Order, order.id)
    assert after.status == "pending_payment" and after.fulfilled_at is None
    assert _fresh(Product, item.id).stock_on_hand == 3
    assert [e.action for e in _audit(order)] == ["order.place"]
    assert db.session.scalars(select(OrderHistory).where(
        OrderHistory.order_id == order.id)).all()[-1].to_status == "pending_payment"


def test_unknown_order_is_a_message(login_as):
    bo, _ = login_as("admin")
    resp = bo.post(MOVE, {"id": "00000000-0000-0000-0000-000000000000", "move": "cancel"},
                   token_from=LIST)
    assert resp.status_code == 302
    assert "Order not found." in bo.get(LIST).get_data(as_text=True)


def test_finance_marks_paid_and_support_fulfils_with_audit(login_as, factories):
    order, _, _ = _place(factories)
    finance, accountant = login_as("finance")
    resp = _move(finance, order, "mark_paid")
    assert resp.status_code == 302
    paid = _fresh(Order, order.id)
    assert paid.status == "paid" and paid.paid_at is not None
    assert _audit(order, "order.paid")[0].actor_id == accountant.id

    support, agent = login_as("support")
    resp = support.action(LIST, "fulfil", [order.id])
    assert resp.status_code == 302
    assert "1 order(s) marked fulfilled." in support.get(LIST).get_data(as_text=True)
    assert _fresh(Order, order.id).status == "fulfilled"
    assert _audit(order, "order.fulfilled")[0].actor_id == agent.id
    html = support.get(_details(order)).get_data(as_text=True)
    assert re.search(r"No action available to you", html)


def test_bulk_cancel_reports_each_refusal_and_does_the_rest(login_as, factories):
    open_order, item, customer = _place(factories, qty=1, stock=10)
    done, _, _ = _place(factories, qty=1, customer=customer, item=item)
    _pay(done)
    orders.fulfil(done.id, actor=Actor.system("tests"))
    bo, _ = login_as("admin")
    resp = bo.action(LIST, "cancel", [open_order.id, done.id])
    assert resp.status_code == 302
    html = bo.get(LIST).get_data(as_text=True)
    assert "1 order(s) cancelled" in html
    assert "An order that is fulfilled cannot become cancelled." in html
    assert _fresh(Order, open_order.id).status == "cancelled"
    assert _fresh(Order, done.id).status == "fulfilled"
    assert _fresh(Product, item.id).stock_on_hand == 9  # 10 - 2 placed + 1 returned


def test_detail_shows_refunds_and_credit_notes_and_which_were_paid_out(login_as, factories):
    """Support sees on the order itself that the customer was credited, and whether the
    money went back (a refund's credit note) or is a credit the customer holds."""
    import uuid as uuid_lib

    from app.invoices import service as invoices
    from app.invoices.models import Invoice
    from app.payments.models import Payment, Refund

    order, _, customer = _place(factories, qty=3, price=1999)
    _pay(order)
    bo, _ = login_as("support")
    before = bo.get(_details(order)).get_data(as_text=True)
    assert "No refund." in before and "No credit note." in before
    [invoice] = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id)).all()
    goodwill = invoices.issue_credit_note(invoice.id, actor=Actor.system("tests"), amount=500,
                                          reason="Agreed discount <b>")
    returned = invoices.issue_credit_note(invoice.id, actor=Actor.system("tests"), amount=1999,
                                          reason="Returned item")
    payment = Payment(id=uuid_lib.uuid4(), order_id=order.id, customer_id=customer.id,
                      method="card", gateway="stripe", status="succeeded",
                      amount=order.total_amount, amount_refunded=1999, currency=order.currency,
                      gateway_payment_id="pi_test_order_page", invoice_id=invoice.id,
                      created_by="tests")
    db.session.add(payment)
    db.session.flush()
    refund = Refund(payment_id=payment.id, amount=1999, currency=order.currency,
                    status="succeeded", reason="Returned item", credit_note_id=returned.id,
                    created_by="tests")
    db.session.add(refund)
    db.session.commit()

    html = bo.get(_details(order)).get_data(as_text=True)
    refunds = html[html.index('id="order-refunds"'):html.index('id="order-credit-notes"')]
    assert "19.99 EUR" in refunds and "Returned item" in refunds and "succeeded" in refunds
    assert f"details/?id={returned.id}" in refunds
    notes = html[html.index('id="order-credit-notes"'):html.index('id="order-lines"')]
    rows = notes.split("<tr>")[2:]
    assert len(rows) == 2
    held = next(r for r in rows if goodwill.number in r)
    assert "5.00 EUR" in held and "not refunded: a credit the customer holds" in held
    assert "Agreed discount &lt;b&gt;" in held  # escaped, not markup
    paid_back = next(r for r in rows if returned.number in r)
    assert "19.99 EUR" in paid_back and f"refunded (refund <code>{str(refund.id)[:8]}" in paid_back
