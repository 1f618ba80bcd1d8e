"""Orders: list, detail (lines, status history, audit trail) and status actions.

Orders are placed by customers through the API; the back office never creates, edits
or deletes them. It moves them through app.orders.service, with the staff member as actor:

- cancel (admin, support): customer service cancels before fulfilment; the service
  restocks exactly once.
- mark fulfilled (admin, support): there is no warehouse role; support staff confirm
  dispatch, admins can always.
- mark paid (admin, finance): finance records a bank transfer it has received.

Every staff role reads orders. Which moves are legal from which status is the service's
rule (app.orders.rules): the buttons only reflect it, and an illegal move still sent by
hand comes back as a flash message with nothing changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, g, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from markupsafe import Markup
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from admin.display import link_to
from admin.forms import SecureForm
from admin.security import ALL_ROLES, SecureModelView, actor, bulk, run, signed_in_staff
from admin.views.invoices import rate_label
from admin.views.money import AmountAtLeast, AmountAtMost, format_amount
from app import search
from app.audit.models import AuditEntry
from app.invoices.models import Invoice
from app.invoices.export_cells import Amount
from app.catalog.rules import CURRENCIES
from app.core.types import as_uuid
from app.extensions import db
from app.tax import treatments
from app.orders import numbering, rules
from app.orders import service as orders
from app.orders.models import STATUSES, Order, OrderHistory
from app.payments.models import Payment, Refund
from app.reporting import credits
from app.users.models import User


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    target: str
    roles: tuple[str, ...]
    operation: Callable
    done: str


MOVES = {m.name: m for m in (
    Move("cancel", "Cancel order", "cancelled", ("admin", "support"), orders.cancel,
         "{} order(s) cancelled; their stock is back on hand."),
    Move("fulfil", "Mark fulfilled", "fulfilled", ("admin", "support"), orders.fulfil,
         "{} order(s) marked fulfilled."),
    Move("mark_paid", "Mark paid (bank transfer received)", "paid", ("admin", "finance"),
         orders.mark_paid, "{} order(s) marked paid."),
)}


class OrderTransitionForm(SecureForm):
    id = HiddenField(validators=[DataRequired()])
    move = HiddenField(validators=[DataRequired()])
    reason = StringField("Reason", validators=[Length(max=500)])


# -- list helpers ----------------------------------------------------------------------------

def _customer_emails(customer_ids) -> dict:
    ids = {i for i in customer_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())


def _customer(view, context, model, name):
    emails = g.get("bo_order_customers")
    if emails is None or model.customer_id not in emails:
        emails = _customer_emails([model.customer_id])  # the details page: one order
    return emails.get(model.customer_id, str(model.customer_id))


def _customer_link(view, context, model, name):
    return link_to("customer", model.customer_id, _customer(view, context, model, name))


def _money(field):
    def fmt(view, context, model, name):
        return format_amount(getattr(model, field), model.currency)
    return fmt


def _status(view, context, model, name):
    return Markup('<span class="badge bo-status bo-status-{0}">{1}</span>').format(
        model.status, model.status.replace("_", " "))


def _number(view, context, model, name):
    return numbering.label(model.number)


def _short_id(view, context, model, name):
    return Markup("<code title='{0}'>{1}</code>").format(model.id, str(model.id)[:8])


def _address(view, context, model, name):
    a = getattr(model, name) or {}
    parts = [a.get("name"), a.get("line1"), a.get("line2"),
             " ".join(p for p in (a.get("postal_code"), a.get("city")) if p),
             a.get("region"), a.get("country")]
    return ", ".join(p for p in parts if p)


class CustomerEmailFilter(BaseSQLAFilter):
    """Rows whose customer's email contains the text (orders, payments)."""

    def __init__(self, column=Order.customer_id):
        super().__init__(column, "Customer email")

    def apply(self, query, value, alias=None):
        pattern = "%" + value.strip().replace("\\", "\\\\").replace("%", r"\%") \
            .replace("_", r"\_") + "%"
        matching = select(User.id).where(User.email.ilike(pattern, escape="\\"))
        return query.filter(self.get_column(alias).in_(matching))

    def operation(self):
        return lazy_gettext("contains")


class OrderIdFilter(BaseSQLAFilter):
    def __init__(self):
        super().__init__(Order.id, "Order id")

    def validate(self, value) -> bool:
        return as_uuid(value.strip()) is not None

    def clean(self, value):
        return as_uuid(value.strip())

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) == value)

    def operation(self):
        return lazy_gettext("equals")


# -- the view --------------------------------------------------------------------------------

class OrdersView(SecureModelView):
    roles_read = ALL_ROLES
    # Each role has at least one move; which one is checked per move (MOVES).
    roles_write = ("admin", "support", "finance")
    can_view_details = True
    # The detail page shows timestamps as the list does (seconds, UTC).
    column_type_formatters_detail = SecureModelView.column_type_formatters
    details_template = "backoffice/order_details.html"

    column_list = ("created_at", "number", "id", "customer", "status", "total_amount", "country",
                   "paid_at", "fulfilled_at", "cancelled_at")
    column_details_list = ("number", "id", "status", "customer", "currency", "subtotal_amount",
                           "total_amount", "country", "shipping_address", "billing_address",
                           "restocked", "created_at", "updated_at", "paid_at",
                           "fulfilled_at", "cancelled_at")
    column_labels = {"number": "Order", "id": "Id", "total_amount": "Total", "subtotal_amount": "Subtotal",
                     "tax_amount": "Tax",
                     "created_at": "Placed", "paid_at": "Paid", "fulfilled_at": "Fulfilled",
                     "cancelled_at": "Cancelled", "restocked": "Stock returned"}
    column_formatters = {"customer": _customer_link, "status": _status, "id": _short_id,
                         "number": _number,
                         "total_amount": _money("total_amount"),
                         "subtotal_amount": _money("subtotal_amount"),
                         "shipping_address": _address, "billing_address": _address}
    column_sortable_list = ("created_at", "number", "status", "total_amount", "paid_at", "fulfilled_at")
    # The box matches an order number ("#1042" or "1042"), an order id, a customer's email
    # or name, or a bank transfer's reference (search_extra); filters narrow further.
    column_searchable_list = ("payment_reference",)
    export_max_rows = 50_000
    column_export_list = ("number", "id", "created_at", "customer", "status", "country",
                          "currency", "subtotal_amount", "tax_amount", "total_amount",
                          "paid_at", "fulfilled_at", "cancelled_at")
    # Support exports which orders and their state, not the money (see README).
    export_money_columns = ("currency", "subtotal_amount", "tax_amount", "total_amount")
    column_formatters_export = {
        "number": lambda v, c, m, n: numbering.label(m.number),
        "customer": lambda v, c, m, n: _customer(v, c, m, n),
        # Exact decimal text in the CSV, numbers with the currency's places in the XLSX.
        "subtotal_amount": lambda v, c, m, n: Amount(m.subtotal_amount, m.currency),
        "tax_amount": lambda v, c, m, n: Amount(m.tax_amount, m.currency),
        "total_amount": lambda v, c, m, n: Amount(m.total_amount, m.currency),
    }

    def search_placeholder(self) -> str:
        return "#1042, order id, customer email or name, transfer reference"

    def search_extra(self, term: str) -> list:
        q = search.parse(term)
        conds = []
        if q.number is not None:
            conds.append(Order.number == q.number)
        if q.ident is not None:
            conds.append(Order.id == q.ident)
        if q.wordy and q.number is None:
            conds.append(Order.customer_id.in_(search._matching_customers(q)))
        return conds
    column_default_sort = [("created_at", True), ("id", True)]
    column_filters = (
        FilterEqual(Order.status, "Status",
                    options=[(s, s.replace("_", " ")) for s in STATUSES]),
        "created_at",
        CustomerEmailFilter(),
        AmountAtLeast(Order.total_amount, Order.currency, "Total"),
        AmountAtMost(Order.total_amount, Order.currency, "Total"),
        FilterEqual(Order.currency, "Currency", options=[(c, c) for c in CURRENCIES]),
        FilterEqual(Order.country, "Country"),
        OrderIdFilter(),
        FilterEqual(Order.number, "Order number"),
    )

    # -- who may do which move -------------------------------------------------------------
    def may(self, move_name: str) -> bool:
        staff = signed_in_staff()
        move = MOVES.get(move_name)
        return staff is not None and move is not None and staff.role in move.roles

    def is_action_allowed(self, name: str) -> bool:
        return self.may(name) and super().is_action_allowed(name)

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        # A hand-made POST of a move the role may not make is refused, not ignored.
        if name == "action_view" and not self.may(request.form.get("action", "")):
            return self.forbidden()
        if name == "transition_view" and not self.may(request.form.get("move", "")):
            return self.forbidden()
        return None

    # -- list: customers' emails in one query per page (no N+1) ----------------------------
    def prefetch(self, rows) -> None:
        g.bo_order_customers = _customer_emails(o.customer_id for o in rows)

    # -- the detail page --------------------------------------------------------------------
    def details_extras(self, order: Order) -> dict:
        """What the detail template shows below the order's fields."""
        history = list(db.session.scalars(
            select(OrderHistory).where(OrderHistory.order_id == order.id)
            .order_by(OrderHistory.at, OrderHistory.id)))
        audit = list(db.session.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "order",
                                     AuditEntry.target_id == str(order.id))
            .order_by(AuditEntry.occurred_at, AuditEntry.id)))
        possible = set(rules.TRANSITIONS.get(order.status, ()))
        if order.status not in rules.cancellable_from(actor()):
            possible.discard("cancelled")
        moves = [m for m in MOVES.values() if m.target in possible and self.may(m.name)]
        payments = list(db.session.scalars(
            select(Payment).where(Payment.order_id == order.id).order_by(Payment.created_at)))
        invoice = db.session.scalars(select(Invoice).where(Invoice.order_id == order.id,
                                                           Invoice.kind == "invoice")).first()
        # Every correction of the order's money, on the order's own page: support should not
        # have to open the invoice to learn that the customer holds a credit.
        credit_notes = db.session.scalars(
            select(Invoice).where(Invoice.credit_note_for_id == invoice.id)
            .order_by(Invoice.created_at)).all() if invoice else []
        refunds = db.session.scalars(
            select(Refund).where(Refund.payment_id.in_([p.id for p in payments]))
            .order_by(Refund.created_at)).all() if payments else []
        paid_out = credits.refunds_issuing(credit_notes)
        return {"lines": order.lines, "history": history, "invoice": invoice, "audit": audit, "moves": moves,
                "payments": payments, "credit_notes": credit_notes, "refunds": refunds,
                "paid_out": paid_out, "held": lambda note: credits.held(note, paid_out),
                "line_names": {str(line.id): line.description
                               for line in (invoice.lines if invoice else [])},
                "money": lambda amount: format_amount(amount, order.currency),
                "percent": lambda line: rate_label(treatments.treatment(line.tax_category),
                                                   line.tax_rate)}

    @expose("/transition/", methods=("POST",))
    def transition_view(self):
        form = OrderTransitionForm()
        if not form.validate_on_submit():
            if form.reason.errors and as_uuid(form.id.data) is not None:
                # The one typed field: a form error, on the page it was typed on.
                flash(f"Reason: {' '.join(form.reason.errors)}", "error")
                return redirect(self.get_url(".details_view", id=form.id.data))
            abort(400)  # hidden fields tampered with, or no CSRF token
        move = MOVES[form.move.data]  # known: _handle_view checked it
        kwargs = {"actor": actor()}
        if move.name == "cancel" and form.reason.data:
            kwargs["reason"] = form.reason.data.strip()
        ok, order = run(move.operation, form.id.data, **kwargs)
        if ok:
            flash(f"Order {numbering.label(order.number)}: {order.status.replace('_', ' ')}.", "success")
        return redirect(self.get_url(".details_view", id=form.id.data))

    # -- bulk actions on the list -----------------------------------------------------------
    @action("cancel", "Cancel", "Cancel the selected orders? Their stock goes back on hand.")
    def action_cancel(self, ids):
        bulk(ids, MOVES["cancel"].operation, MOVES["cancel"].done)

    @action("fulfil", "Mark fulfilled", "Mark the selected orders fulfilled?")
    def action_fulfil(self, ids):
        bulk(ids, MOVES["fulfil"].operation, MOVES["fulfil"].done)

    @action("mark_paid", "Mark paid", "Mark the selected orders paid (bank transfer received)?")
    def action_mark_paid(self, ids):
        bulk(ids, MOVES["mark_paid"].operation, MOVES["mark_paid"].done)
