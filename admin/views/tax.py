"""Tax rates (finance and admins). Rates are effective-dated and never edited in place
(issued invoices used them): create a rate, or end one on a date, through
app.tax.service. No edit, no delete."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.template import LinkRowAction
from markupsafe import Markup

from admin.finance_forms import EndRateForm, TaxRateForm
from admin.security import SecureModelView, actor, run
from admin.views.invoices import FINANCE_ROLES, percent
from app.extensions import db
from app.tax import service as tax
from app.tax.models import TaxRate


def _rate(view, context, model, name):
    return Markup('<span class="bo-money">{}</span>').format(percent(model.rate))


def _state(view, context, model, name):
    today = date.today()
    if model.valid_from > today:
        return Markup('<span class="badge badge-info">scheduled</span>')
    if model.valid_to is not None and model.valid_to < today:
        return Markup('<span class="badge badge-secondary">ended</span>')
    if model.valid_to is not None:
        return Markup('<span class="badge badge-warning">ends {}</span>').format(
            model.valid_to.isoformat())
    return Markup('<span class="badge badge-success">in force</span>')


class TaxRatesView(SecureModelView):
    roles_read = FINANCE_ROLES
    roles_write = FINANCE_ROLES
    allow_create = True
    list_template = "backoffice/tax_rates_list.html"

    column_list = ("country", "region", "tax_category", "rate", "name", "valid_from",
                   "valid_to", "state")
    column_labels = {"tax_category": "Category", "rate": "Rate", "valid_from": "Valid from",
                     "valid_to": "Valid to", "state": "State"}
    column_formatters = {"rate": _rate, "state": _state}
    column_sortable_list = ("country", "region", "tax_category", "rate", "valid_from",
                            "valid_to")
    column_filters = ("country", "region", "tax_category", "valid_from", "valid_to")
    column_searchable_list = ("name", "country")
    column_default_sort = [("country", False), ("tax_category", False), ("valid_from", True)]
    column_extra_row_actions = [
        LinkRowAction("fa fa-calendar-times-o",
                      lambda action, row_id, row: url_for("bo_tax_rates.end_view", id=row_id),
                      title="End this rate"),
    ]

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = TaxRateForm()
        if form.validate_on_submit():
            ok, row = run(tax.create_rate, form.country.data, form.category.data,
                          form.rate_percent.data.scaleb(-2), form.name.data or "",
                          form.valid_from.data, form.valid_to.data,
                          (form.region.data or "").strip().upper() or None, actor=actor())
            if ok:
                flash(f"Tax rate {row} created, valid from {row.valid_from.isoformat()}.",
                      "success")
                return redirect(self.get_url(".index_view"))
        return self.render("backoffice/tax_rate_form.html", form=form)

    @expose("/end/", methods=("GET", "POST"))
    def end_view(self):
        if not self.can_write():
            return self.forbidden()
        row = self.get_one(request.args.get("id", ""))
        if row is None:
            abort(404)
        form = EndRateForm()
        if request.method == "GET" and row.valid_to is None:
            form.valid_to.data = date.today()
        if form.validate_on_submit():
            ok, ended = run(tax.end_rate, row.id, form.valid_to.data, actor=actor())
            if ok:
                flash(f"{ended} ends on {ended.valid_to.isoformat()}; create its successor "
                      "to start the next day.", "success")
                return redirect(self.get_url(".index_view"))
            row = db.session.get(TaxRate, row.id)
        return self.render("backoffice/tax_rate_end.html", form=form, rate=row, percent=percent)
