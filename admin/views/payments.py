"""Payments: list (filters: status, method, gateway, amount, date, customer) and detail
with the gateway's event timeline, refunds and refund requests; the refund action
(finance, admin) goes through app.payments.approvals.start: above the approval threshold
it becomes a request for a second staff member (admin/views/refund_requests.py); the
cancel action (finance, admin) calls app.payments.cancellation as POST
/payments/{id}/cancel does. Support reads, never refunds or cancels."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup
from sqlalchemy import or_, select

from admin.security import ALL_ROLES, SecureModelView, actor, run
from admin.views.money import AmountAtLeast, AmountAtMost, NotAnAmount, format_amount, to_minor
from admin.views.orders import CustomerEmailFilter, _customer_emails
from app.core.errors import DomainError
from app.invoices.export_cells import Amount
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid
from app.core.uow import unit_of_work
from app.extensions import db
from app.payments import (approvals, cancellation, methods, payouts, refund_lines, refunds,
                          rules)
from app.payments.method_models import PaymentMethod
from app.payments.models import (METHODS, STATUSES, BankTransfer, GatewayEvent, Payment,
                                 RefundRequest)
from admin.security import flash_domain_error

FINANCE_ROLES = ("admin", "finance")
GATEWAYS = ("stripe", "paypal", "bank")
# The newest events of one payment, oldest first on the page: a timeline, not a log dump.
TIMELINE_LIMIT = 200


def badge(status: str) -> Markup:
    return Markup('<span class="badge bo-status bo-status-{0}" data-status="{0}">{1}</span>'
                  ).format(status, status.replace("_", " "))


def _status(view, context, model, name):
    return badge(model.status)


def _money(field):
    def fmt(view, context, model, name):
        return format_amount(getattr(model, field), model.currency)
    return fmt


def _customer(view, context, model, name):
    emails = g.get("bo_payment_customers") or _customer_emails([model.customer_id])
    return emails.get(model.customer_id, str(model.customer_id))


def _link(endpoint: str, label_len: int = 8):
    def fmt(view, context, model, name):
        value = getattr(model, name)
        if value is None:
            return ""
        return Markup('<a href="{0}"><code>{1}</code></a>').format(
            view.get_url(endpoint, id=value), str(value)[:label_len])
    return fmt


def execute_refund(call):
    """Ask the gateway for an opened refund and record its answer, committed even when
    the gateway refused (the failure and the released reservation are the record)."""
    with unit_of_work():
        try:
            refund = refunds.execute(call, resumable=False)
        except DomainError as exc:
            flash_domain_error(exc)
            return None
    flash(f"Refund of {format_amount(refund.amount, refund.currency)}: {refund.status}.",
          "success" if refund.status == "succeeded" else "warning")
    return refund


def gateway_events(payment: Payment) -> list[GatewayEvent]:
    """The gateway's events about this payment (its PaymentIntent and the refunds on it)."""
    if not payment.gateway_payment_id:
        return []
    obj = GatewayEvent.payload["data"]["object"]
    return list(reversed(db.session.scalars(
        select(GatewayEvent).where(or_(obj["id"].as_string() == payment.gateway_payment_id,
                                       obj["payment_intent"].as_string()
                                       == payment.gateway_payment_id))
        .order_by(GatewayEvent.received_at.desc(), GatewayEvent.id.desc())
        .limit(TIMELINE_LIMIT)).all()))


def refundable_now(payment: Payment) -> bool:
    """Whether a refund can be started on this payment (the service decides for sure)."""
    return (payment.status == "succeeded" and payment.method != "bank_transfer"
            and payment.refundable > 0)


def returned_lines(form) -> list | None:
    """The form's returned items ([{line_id, quantity}] of fields ``return-<line id>``);
    None (flashed) when a quantity is not a whole number."""
    lines = []
    for key, value in form.items():
        if not key.startswith("return-") or not value.strip():
            continue
        if not value.strip().isdigit():
            flash("Returned items: quantities are whole numbers.", "error")
            return None
        if int(value) > 0:
            lines.append({"line_id": key.removeprefix("return-"), "quantity": int(value)})
    return lines


def start_refund(payment: Payment) -> None:
    """The posted refund form (amount, reason) of a payment, through
    app.payments.approvals.start: made at once up to the approval threshold, else a
    request for a second staff member. The outcome is flashed. Used by the payment page
    and the customer page."""
    reason = (request.form.get("reason") or "").strip()
    if not reason or len(reason) > 500 or not is_clean(reason):
        flash(f"Reason: {MESSAGE if reason else 'Required.'}"
              if len(reason) <= 500 else "Reason: at most 500 characters.", "error")
        return
    lines = returned_lines(request.form)
    if lines is None:
        return
    amount = None
    if not lines:
        try:
            amount = to_minor(request.form.get("amount") or "", payment.currency)
        except NotAnAmount as exc:
            flash(f"Amount: {exc}", "error")
            return
        if amount == 0:
            flash("Amount: must be more than zero.", "error")
            return
    elif (request.form.get("amount") or "").strip():
        flash("Amount: leave it empty when refunding returned items (their value is "
              "refunded).", "error")
        return
    ok, started = run(approvals.start, payment.id, amount=amount, reason=reason,
                      actor=actor(), lines=lines or None)
    if not ok:
        return
    if isinstance(started, RefundRequest):
        flash(f"Refund of {format_amount(started.amount, started.currency)} needs a "
              "second staff member's approval: it waits in Refund approvals.", "info")
        return
    execute_refund(started)


class PaymentsView(SecureModelView):
    roles_read = ALL_ROLES
    roles_write = FINANCE_ROLES
    can_view_details = True
    details_template = "backoffice/payment_details.html"
    column_type_formatters_detail = SecureModelView.column_type_formatters

    column_list = ("created_at", "id", "customer", "method", "gateway", "status", "amount",
                   "amount_refunded", "order_id", "invoice_id")
    column_details_list = ("id", "status", "method", "gateway", "amount", "amount_refunded",
                           "customer", "order_id", "invoice_id", "gateway_payment_id",
                           # What fraud rules read of the card; the fingerprint is what
                           # an admin puts on @block to stop the card for anyone.
                           "card_country", "card_fingerprint", "failure_code", "failure_message", "created_by", "created_at",
                           "succeeded_at", "updated_at")
    column_labels = {"id": "Payment", "amount_refunded": "Refunded", "order_id": "Order",
                     "invoice_id": "Invoice", "created_at": "Created",
                     "succeeded_at": "Succeeded", "gateway_payment_id": "Gateway id",
                     "card_country": "Card country", "card_fingerprint": "Card fingerprint"}
    column_formatters = {"status": _status, "amount": _money("amount"),
                         "amount_refunded": _money("amount_refunded"), "customer": _customer,
                         "id": _link(".details_view"), "order_id": _link("bo_orders.details_view"),
                         "invoice_id": _link("bo_invoices.details_view")}
    column_formatters_export = {
        "amount": lambda v, c, m, n: Amount(m.amount, m.currency),
        "amount_refunded": lambda v, c, m, n: Amount(m.amount_refunded, m.currency)}
    column_export_list = ("created_at", "id", "customer", "method", "gateway", "status",
                          "currency", "amount", "amount_refunded", "order_id", "invoice_id",
                          "gateway_payment_id", "failure_code", "succeeded_at")
    column_sortable_list = ("created_at", "status", "amount", "method", "gateway")
    column_default_sort = [("created_at", True), ("id", True)]
    # The gateway's id, or (search_extra) the payment's or order's id, the order number,
    # the customer's email or name.
    column_searchable_list = ("gateway_payment_id",)

    def search_placeholder(self) -> str:
        return "Gateway id, payment or order id, #1042, customer email or name"

    def search_extra(self, term: str) -> list:
        from app import search
        from app.orders.models import Order

        q = search.parse(term)
        conds = []
        if q.ident is not None:
            conds += [Payment.id == q.ident, Payment.order_id == q.ident]
        if q.number is not None:
            conds.append(Payment.order_id.in_(select(Order.id).where(Order.number == q.number)))
        elif q.wordy:
            conds.append(Payment.customer_id.in_(search._matching_customers(q)))
        return conds

    column_filters = (
        FilterEqual(Payment.status, "Status", options=[(s, s.replace("_", " "))
                                                       for s in STATUSES]),
        FilterEqual(Payment.method, "Method", options=[(m, m.replace("_", " "))
                                                       for m in METHODS]),
        FilterEqual(Payment.gateway, "Gateway", options=[(gw, gw) for gw in GATEWAYS]),
        AmountAtLeast(Payment.amount, Payment.currency, "Amount"),
        AmountAtMost(Payment.amount, Payment.currency, "Amount"),
        "created_at",
        CustomerEmailFilter(Payment.customer_id),
    )

    def prefetch(self, rows) -> None:
        g.bo_payment_customers = _customer_emails(p.customer_id for p in rows)

    def details_extras(self, payment: Payment) -> dict:
        requests = list(db.session.scalars(
            select(RefundRequest).where(RefundRequest.payment_id == payment.id)
            .order_by(RefundRequest.created_at)))
        transfer = db.session.scalars(select(BankTransfer).where(
            BankTransfer.payment_id == payment.id)).first()
        can_refund = self.can_write() and refundable_now(payment)
        can_cancel = (self.can_write() and payment.status in rules.OPEN
                      and payment.gateway != "bank")
        saved = db.session.get(PaymentMethod, payment.payment_method_id) \
            if payment.payment_method_id else None
        return {"events": gateway_events(payment), "refunds": payment.refunds,
                "requests": requests, "transfer": transfer, "can_refund": can_refund,
                "can_cancel": can_cancel, "saved_method": saved,
                "customer_methods": methods.listed_for(payment.customer_id),
                "threshold": approvals.threshold_for(payment.currency),
                "held_notes": payouts.held_on(payment) if can_refund else [],
                "returnable": refund_lines.returnable(payment) if can_refund else [],
                "line_names": refund_lines.line_names(payment)
                if any(r.lines for r in payment.refunds) else {},
                "money": lambda amount: format_amount(amount, payment.currency),
                "badge": badge}

    @expose("/<payment_id>/refund/", methods=("POST",))
    def refund_view(self, payment_id):
        if not self.can_write():
            return self.forbidden()
        payment = db.session.get(Payment, as_uuid(payment_id)) if as_uuid(payment_id) else None
        if payment is None:
            abort(404)
        start_refund(payment)
        return redirect(self.get_url(".details_view", id=payment.id))

    @expose("/<payment_id>/cancel/", methods=("POST",))
    def cancel_view(self, payment_id):
        """The staff side of POST /payments/{id}/cancel: the same two steps (read, then
        the gateway with no transaction open, then its answer recorded)."""
        if not self.can_write():
            return self.forbidden()
        payment = db.session.get(Payment, as_uuid(payment_id)) if as_uuid(payment_id) else None
        if payment is None:
            abort(404)
        back = redirect(self.get_url(".details_view", id=payment.id))
        ok, call = run(cancellation.open_cancel, payment.id, actor())
        if not ok:
            return back
        with unit_of_work():
            try:
                cancelled = cancellation.cancel(call)
            except DomainError as exc:
                # The gateway's answer (it succeeded meanwhile) is recorded all the same.
                flash_domain_error(exc)
                return back
        flash(f"Payment {str(cancelled.id)[:8]} is {cancelled.status}.",
              "success" if cancelled.status == "cancelled" else "warning")
        return back
