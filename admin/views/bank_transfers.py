"""Bank transfers: manual entry by finance (applied when it pays an open invoice or
unpaid order exactly, else held), the held-transfers queue (apply to the invoice number
or order id finance names, or return to the payer), and the list of all transfers.
Everything goes through app.payments.transfers, as the API does. Support reads."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup
from sqlalchemy import select

from admin.security import ALL_ROLES, SecureModelView, actor, run
from admin.transfer_forms import BankTransferForm
from admin.views.money import NotAnAmount, format_amount, to_minor
from admin.views.payments import FINANCE_ROLES, _link, _money, _status
from app.core.money import check_currency
from app.core.errors import InvalidInput
from app.invoices.export_cells import Amount
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid
from app.extensions import db
from app.payments import transfers
from app.payments.models import TRANSFER_STATUSES, BankTransfer

HELD_LIMIT = 200


def _hold(view, context, model, name):
    if model.hold_reason is None:
        return ""
    return Markup('<span class="badge badge-warning">{0}</span> <small>{1}</small>').format(
        model.hold_reason.replace("_", " "), model.hold_message or "")


class BankTransfersView(SecureModelView):
    roles_read = ALL_ROLES
    roles_write = FINANCE_ROLES
    can_view_details = True
    column_type_formatters_detail = SecureModelView.column_type_formatters
    list_template = "backoffice/bank_transfers_list.html"
    column_list = ("created_at", "value_date", "payer_name", "reference", "amount", "status",
                   "hold_reason", "invoice_id", "order_id", "payment_id")
    column_details_list = ("id", "status", "hold_reason", "amount", "reference", "value_date",
                           "payer_name", "invoice_id", "order_id", "payment_id", "note",
                           "created_by", "resolved_by", "created_at", "applied_at",
                           "returned_at")
    column_labels = {"created_at": "Recorded", "payer_name": "Payer", "hold_reason": "Held",
                     "invoice_id": "Invoice", "order_id": "Order", "payment_id": "Payment"}
    column_formatters = {"status": _status, "amount": _money("amount"), "hold_reason": _hold,
                         "invoice_id": _link("bo_invoices.details_view"),
                         "order_id": _link("bo_orders.details_view"),
                         "payment_id": _link("bo_payments.details_view")}
    column_formatters_detail = column_formatters
    column_formatters_export = {"amount": lambda v, c, m, n: Amount(m.amount, m.currency)}
    column_export_list = ("created_at", "value_date", "payer_name", "reference", "currency",
                          "amount", "status", "hold_reason", "invoice_id", "order_id",
                          "payment_id")
    column_sortable_list = ("created_at", "value_date", "amount", "status")
    column_default_sort = [("created_at", True), ("id", True)]
    column_searchable_list = ("reference", "payer_name")
    column_filters = (FilterEqual(BankTransfer.status, "Status",
                                  options=[(s, s) for s in TRANSFER_STATUSES]),)

    def _form_amount(self, form) -> int | None:
        try:
            currency = check_currency(form.currency.data)
        except InvalidInput as exc:
            form.currency.errors = [*form.currency.errors, *exc.errors["currency"]]
            return None
        try:
            amount = to_minor(form.amount.data or "", currency)
        except NotAnAmount as exc:
            form.amount.errors = [*form.amount.errors, str(exc)]
            return None
        if amount == 0:
            form.amount.errors = [*form.amount.errors, "Must be more than zero."]
            return None
        return amount

    @expose("/record/", methods=("GET", "POST"))
    def record_view(self):
        if not self.can_write():
            return self.forbidden()
        form = BankTransferForm()
        if form.validate_on_submit():
            amount = self._form_amount(form)
            if amount is not None:
                ok, transfer = run(transfers.record, uuid.uuid4(),
                                   amount=amount, currency=form.currency.data,
                                   reference=form.reference.data,
                                   value_date=form.value_date.data,
                                   payer_name=form.payer_name.data, note=form.note.data or "",
                                   actor=actor())
                if ok:
                    if transfer.status == "applied":
                        flash(f"Transfer {transfer.reference} applied.", "success")
                    else:
                        flash(f"Transfer held: {transfer.hold_message}", "warning")
                    return redirect(self.get_url(".details_view", id=transfer.id))
        return self.render("backoffice/bank_transfer_form.html", form=form)

    @expose("/held/")
    def held_view(self):
        held = db.session.scalars(select(BankTransfer).where(BankTransfer.status == "held")
                                  .order_by(BankTransfer.created_at, BankTransfer.id)
                                  .limit(HELD_LIMIT)).all()
        return self.render("backoffice/bank_transfers_held.html", held=held,
                           money=format_amount, can_write=self.can_write())

    @expose("/<transfer_id>/resolve/", methods=("POST",))
    def resolve_view(self, transfer_id):
        if not self.can_write():
            return self.forbidden()
        if as_uuid(transfer_id) is None:
            abort(404)
        back = redirect(self.get_url(".held_view"))
        text = (request.form.get("text") or "").strip()
        if len(text) > 500 or not is_clean(text):
            flash(MESSAGE if len(text) <= 500 else "At most 500 characters.", "error")
            return back
        if request.form.get("decision") == "apply":
            ok, transfer = run(transfers.apply_held, transfer_id, reference=text or None,
                               actor=actor())
            if ok:
                flash(f"Transfer {transfer.reference} applied.", "success")
        elif request.form.get("decision") == "return":
            ok, transfer = run(transfers.return_to_payer, transfer_id, reason=text,
                               actor=actor())
            if ok:
                flash(f"Transfer {transfer.reference} marked returned to the payer.", "success")
        else:
            abort(400)
        return back
