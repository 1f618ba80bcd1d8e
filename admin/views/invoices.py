"""Invoices for finance (finance and admins): a filtered list, a detail page with the PDF
and the reason for its VAT treatment, the state changes (finalise, send, mark paid,
cancel, credit note) and a VIES check of the buyer's VAT id.

Every change calls app.invoices.service with the signed-in staff member as actor; a
refusal (DomainError) becomes a flash message. The list's filters are parsed here and
applied by app.invoices.queries.filtered, the same definition the exports use."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import abort, current_app, flash, g, redirect, request, stream_with_context
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.helpers import get_redirect_target
from markupsafe import Markup
from sqlalchemy import select

from admin.security import SecureModelView, actor, bulk, run
from admin.views.money import NotAnAmount, exact_minor, parse_decimal, to_minor
from admin.views.vat import flash_check, vat_panel
from app.audit.models import AuditEntry
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid
from app.extensions import db
from app.invoices import queries, rules, service as invoices
from app.invoices.models import STATUSES, Invoice
from app.invoices.storage import get_storage
from app.payments import approvals, payouts
from app.payments.models import BankTransfer, Payment, RefundRequest
from app.core.money import exponent, format_amount
from app.tax import treatments
from app.tax.vat_checks import verify_vat_id

FINANCE_ROLES = ("admin", "finance")
SERIES = tuple(rules.SERIES.values())  # INV, CN
STATUS_CSS = {"draft": "secondary", "finalised": "info", "sent": "primary", "paid": "success",
              "cancelled": "dark"}


# ---------------------------------------------------------------- filters (list + exports)

@dataclass
class ListFilters:
    """The list's query string, parsed: ``filters`` for app.invoices.queries.filtered,
    ``values`` to refill the form, ``errors`` for what could not be read."""

    filters: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.filters)


def _amount(text: str, currency: str | None) -> int:
    """A typed amount (major units, e.g. 1234.50; negative for credit notes) as integer
    minor units, exactly: the back office's one parser (admin.views.money)."""
    return exact_minor(parse_decimal(text), currency or "")


def parse_filters(args) -> ListFilters:
    parsed = ListFilters()
    f, values, errors = parsed.filters, parsed.values, parsed.errors
    for name in queries.FILTERS:
        values[name] = (args.get(name) or "").strip()

    if values["status"]:
        if values["status"] in STATUSES:
            f["status"] = values["status"]
        else:
            errors.append(f"Unknown status {values['status']!r}.")
    if values["series"]:
        if values["series"] in SERIES:
            f["series"] = values["series"]
        else:
            errors.append(f"Unknown series {values['series']!r}.")
    if values["currency"]:
        currency = values["currency"].upper()
        values["currency"] = currency
        if len(currency) == 3 and currency.isalpha():
            f["currency"] = currency
        else:
            errors.append("The currency is a three-letter ISO 4217 code.")
    for name, label in (("date_from", "Issued from"), ("date_to", "Issued to")):
        if values[name]:
            try:
                f[name] = date.fromisoformat(values[name])
            except ValueError:
                errors.append(f"{label}: not a date (YYYY-MM-DD).")
    if values["customer"]:
        f["customer"] = values["customer"]
    if values["search"]:
        f["search"] = values["search"][:200]
    if values["overdue"] in ("1", "on", "true", "yes"):
        values["overdue"] = "1"
        f["overdue"] = True
    else:
        values["overdue"] = ""
    for name, label in (("min_total", "Total from"), ("max_total", "Total up to")):
        if values[name]:
            try:
                f[name] = _amount(values[name], f.get("currency"))
            except NotAnAmount as exc:
                errors.append(f"{label}: not an amount in {f.get('currency', 'the currency')} "
                              f"(e.g. 1234.50). {exc}")
    return parsed


def request_filters() -> ListFilters:
    """This request's filters, parsed (and their errors flashed) once."""
    if "invoice_filters" not in g:
        g.invoice_filters = parse_filters(request.args)
        for message in g.invoice_filters.errors:
            flash(f"Filter ignored. {message}", "warning")
    return g.invoice_filters


def filter_args(parsed: ListFilters) -> dict:
    """The query-string form of the active filters, for links (exports, pagination)."""
    return {k: v for k, v in parsed.values.items() if v}


# ---------------------------------------------------------------- presentation helpers

def money(amount: int | None, currency: str) -> str:
    return format_amount(amount or 0, currency)


def percent(rate) -> str:
    value = (Decimal(rate or 0) * 100).normalize()
    return f"{value:f} %"


def rate_label(kind: str, rate) -> str:
    """A breakdown row's rate: "20 %", or what a 0 % is (zero-rated, exempt, reverse charge)."""
    return percent(rate) if kind == treatments.TAXABLE else treatments.LABELS[kind]


def wordings(breakdown: list) -> list[str]:
    """The legal mentions the invoice carries, as the PDF prints them."""
    kinds = {kind for kind, *_ in breakdown}
    return [text for kind, text in treatments.WORDING.items() if kind in kinds]


def is_overdue(invoice: Invoice, today: date | None = None) -> bool:
    return rules.is_overdue(invoice, today or date.today())


def status_badge(invoice: Invoice) -> Markup:
    badge = Markup('<span class="badge badge-{} bo-status" data-status="{}">{}</span>').format(
        STATUS_CSS.get(invoice.status, "light"), invoice.status, invoice.status)
    if is_overdue(invoice):
        badge += Markup(' <span class="badge badge-danger">overdue</span>')
    return badge


def available_actions(invoice: Invoice) -> list[str]:
    """What the buttons offer; the service still decides (a hand-made POST is refused
    there, not here)."""
    offered = []
    if rules.may_move(invoice, "finalised"):
        offered.append("finalise")
    if rules.may_move(invoice, "sent"):
        offered.append("send")
    if rules.may_move(invoice, "paid"):
        offered.append("mark-paid")
    if rules.creditable_amount(invoice):
        offered.append("credit-note")
    if rules.may_move(invoice, "cancelled"):
        offered.append("cancel")
    return offered


def _number(view, context, model, name):
    url = view.get_url(".details_view", id=model.id, url=request.full_path)
    label = model.number or f"Draft {str(model.id)[:8]}"
    return Markup('<a href="{}" class="bo-invoice-link">{}</a>').format(url, label)


def _status(view, context, model, name):
    return status_badge(model)


def _buyer(view, context, model, name):
    buyer = model.buyer or {}
    return Markup('{}<br><small class="text-muted">{}</small>').format(
        buyer.get("name") or "", buyer.get("email") or "")


def _total(view, context, model, name):
    return Markup('<span class="bo-money">{}</span>').format(
        money(model.total_amount, model.currency))


def _pdf(view, context, model, name):
    if model.pdf_status == "ready":
        return Markup('<a href="{}" title="Download PDF"><i class="fa fa-file-pdf-o"></i> PDF</a>'
                      ).format(view.get_url(".pdf_view", invoice_id=model.id, download=1))
    return Markup('<span class="text-muted small">{}</span>').format(
        "" if model.pdf_status == "none" else model.pdf_status)


# ---------------------------------------------------------------- the view

OPERATIONS = {
    "finalise": (invoices.finalise, "Invoice {number} finalised; its PDF is being generated."),
    "send": (invoices.send, "Invoice {number} sent to {email}."),
    "mark-paid": (invoices.mark_paid, "Invoice {number} marked paid (bank transfer received)."),
    "cancel": (invoices.cancel, "Invoice {number} cancelled (void)."),
}


class InvoicesView(SecureModelView):
    roles_read = FINANCE_ROLES
    roles_write = FINANCE_ROLES
    can_view_details = True
    list_template = "backoffice/invoices_list.html"
    # Its filter bar has its own CSV and XLSX (admin/views/exports.py: totals per currency
    # and per tax rate close them).
    can_export = False
    details_template = "backoffice/invoice_detail.html"

    column_list = ("number", "status", "buyer", "issue_date", "due_date", "total_amount",
                   "pdf_status", "created_at")
    column_sortable_list = ("number", "status", "issue_date", "due_date", "total_amount",
                            "created_at")
    column_labels = {"number": "Number", "buyer": "Buyer", "issue_date": "Issued",
                     "due_date": "Due", "total_amount": "Total", "pdf_status": "PDF",
                     "created_at": "Created"}
    column_formatters = {"number": _number, "status": _status, "buyer": _buyer,
                         "total_amount": _total, "pdf_status": _pdf}
    column_default_sort = ("created_at", True)
    # Number ("INV-2026-0004", "0004"), id, or the customer's email or name
    # (app.invoices.queries.search_condition, applied with the other filters).
    column_searchable_list = ("number",)

    def search_placeholder(self) -> str:
        return "Invoice number, id, customer email or name"

    def _apply_search(self, query, count_query, joins, count_joins, search):
        # The search is one of app.invoices.queries's filters (request_filters): the list
        # and its CSV, XLSX and ZIP exports select the same rows.
        return query, count_query, joins, count_joins

    # -- list: Flask-Admin sorts and pages; the filter is app.invoices.queries's.
    def _filtered(self, query):
        where = queries.filtered(request_filters().filters).whereclause
        return query if where is None else query.filter(where)

    def get_query(self):
        return self._filtered(super().get_query())

    def get_count_query(self):
        return self._filtered(super().get_count_query())

    def render(self, template, **kwargs):
        if template == self.list_template:
            parsed = request_filters()
            kwargs.update(invoice_filters=parsed, filter_query=filter_args(parsed),
                          statuses=STATUSES, series_choices=SERIES)
        return super().render(template, **kwargs)

    # -- list actions over the selected rows
    @action("download_pdfs", "Download PDFs (ZIP)",
            "Build one ZIP with the PDFs of the selected invoices?")
    def action_download_pdfs(self, ids):
        from admin.views.exports import start_zip

        return start_zip(ids)

    @action("finalise", "Finalise", "Finalise the selected drafts? Numbers are assigned and "
                                    "the invoices become immutable.")
    def action_finalise(self, ids):
        bulk(ids, invoices.finalise, "{} invoice(s) finalised.")

    @action("send", "Send to buyer", "Email the selected invoices to their buyers?")
    def action_send(self, ids):
        bulk(ids, invoices.send, "{} invoice(s) sent.")

    @action("mark_paid", "Mark paid", "Mark the selected invoices paid (bank transfer "
                                      "received)?")
    def action_mark_paid(self, ids):
        bulk(ids, invoices.mark_paid, "{} invoice(s) marked paid.")

    # -- detail
    @expose("/details/")
    def details_view(self):
        invoice = self.get_one(request.args.get("id", ""))
        if invoice is None:
            flash("Invoice not found.", "error")
            return redirect(self.get_url(".index_view"))
        credit_notes = db.session.scalars(
            select(Invoice).where(Invoice.credit_note_for_id == invoice.id)
            .order_by(Invoice.created_at)).all()
        original = db.session.get(Invoice, invoice.credit_note_for_id) \
            if invoice.credit_note_for_id else None
        timeline = db.session.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "invoice",
                                     AuditEntry.target_id == str(invoice.id))
            .order_by(AuditEntry.occurred_at)).all()
        payments = db.session.scalars(select(Payment).where(
            Payment.invoice_id == invoice.id).order_by(Payment.created_at)).all()
        bank_transfers = db.session.scalars(select(BankTransfer).where(
            BankTransfer.invoice_id == invoice.id).order_by(BankTransfer.created_at)).all()
        breakdown = treatments.breakdown(invoice.lines, reverse_charge=invoice.reverse_charge)
        money_back = payouts.refund_of(invoice) if invoice.kind == "credit_note" else None
        payable = payouts.payable_from(invoice) \
            if self.can_write() and invoice.kind == "credit_note" and money_back is None else []
        return self.render(
            self.details_template, invoice=invoice, credit_notes=credit_notes,
            original=original, timeline=timeline, breakdown=breakdown, rate_label=rate_label,
            wordings=wordings(breakdown),
            actions=available_actions(invoice) if self.can_write() else [],
            overdue=is_overdue(invoice), money=money, percent=percent,
            creditable=rules.creditable_amount(invoice),
            shown=lambda amount: rules.shown_amount(invoice.kind, amount), vat=vat_panel(invoice),
            status_badge=status_badge, payments=payments, bank_transfers=bank_transfers,
            money_back=money_back, payable=payable, held=payouts.ISSUED,
            return_url=get_redirect_target()
            or self.get_url(".index_view"))

    def _back(self, invoice_id):
        return redirect(self.get_url(".details_view", id=invoice_id))

    @expose("/<invoice_id>/do/<operation>/", methods=("POST",))
    def operation_view(self, invoice_id, operation):
        if not self.can_write():
            return self.forbidden()
        if as_uuid(invoice_id) is None:
            abort(404)
        if operation == "credit-note":
            reason = (request.form.get("reason") or "").strip()
            if not is_clean(reason):  # a plain form field, not a CleanForm: same rule
                flash(f"Reason: {MESSAGE}", "error")
                return self._back(invoice_id)
            amount = None
            typed = (request.form.get("amount") or "").strip()
            if typed:
                try:
                    amount = to_minor(typed, invoices.get(invoice_id).currency)
                except NotAnAmount as exc:
                    flash(f"Amount: {exc}", "error")
                    return self._back(invoice_id)
            ok, note = run(invoices.issue_credit_note, invoice_id, actor=actor(), reason=reason,
                           amount=amount)
            if not ok:
                return self._back(invoice_id)
            flash(f"Credit note {note.number} issued.", "success")
            return self._back(note.id)
        if operation not in OPERATIONS:
            abort(404)
        service_call, message = OPERATIONS[operation]
        ok, invoice = run(service_call, invoice_id, actor=actor())
        if ok:
            flash(message.format(number=invoice.number or "draft",
                                 email=(invoice.buyer or {}).get("email", "")), "success")
        return self._back(invoice_id)

    @expose("/<invoice_id>/pay-out/", methods=("POST",))
    def pay_out_view(self, invoice_id):
        """Refund a held credit note's money to the payment that paid its invoice (the
        refund issues no second credit note): app.payments.approvals.start, as the
        payment page's refund form, so the approval threshold applies alike."""
        # Not at the top: admin.views.payments imports orders, which imports this module.
        from admin.views.payments import execute_refund

        if not self.can_write():
            return self.forbidden()
        if as_uuid(invoice_id) is None:
            abort(404)
        reason = (request.form.get("reason") or "").strip()
        if not reason or len(reason) > 500 or not is_clean(reason):
            flash(f"Reason: {MESSAGE if reason else 'Required.'}"
                  if len(reason) <= 500 else "Reason: at most 500 characters.", "error")
            return self._back(invoice_id)
        ok, started = run(approvals.start, request.form.get("payment_id") or "", amount=None,
                          reason=reason, actor=actor(), credit_note_id=invoice_id)
        if not ok:
            return self._back(invoice_id)
        if isinstance(started, RefundRequest):
            flash(f"Refund of {format_amount(started.amount, started.currency)} needs a "
                  "second staff member's approval: it waits in Refund approvals.", "info")
        else:
            execute_refund(started)
        return self._back(invoice_id)

    @expose("/<invoice_id>/vat-check/", methods=("POST",))
    def vat_check_view(self, invoice_id):
        """Check the buyer's VAT id with VIES now; a draft is priced again with the answer."""
        if not self.can_write():
            return self.forbidden()
        invoice = self.get_one(invoice_id) if as_uuid(invoice_id) else None
        if invoice is None:
            abort(404)
        ok, row = run(verify_vat_id, (invoice.buyer or {}).get("tax_id"), actor=actor())
        if ok:
            flash_check(row)
            if invoice.status == "draft":
                run(invoices.calculate_tax, invoice.id)
        return self._back(invoice_id)

    # -- the stored PDF, inline (the preview frame) or as a download
    @expose("/<invoice_id>/pdf")
    def pdf_view(self, invoice_id):
        invoice = self.get_one(invoice_id)
        if invoice is None:
            abort(404)
        if invoice.number is None:
            flash("A draft has no PDF: finalise it first.", "warning")
            return self._back(invoice.id)
        if invoice.pdf_status != "ready" or not invoice.pdf_path:
            flash(f"The PDF of {invoice.number} is not ready yet ({invoice.pdf_status}); "
                  "try again in a moment.", "warning")
            return self._back(invoice.id)
        handle = get_storage(current_app).open(invoice.pdf_path)

        def chunks():
            with handle:
                while block := handle.read(64 * 1024):
                    yield block

        response = current_app.response_class(stream_with_context(chunks()),
                                              mimetype="application/pdf")
        disposition = "attachment" if request.args.get("download") else "inline"
        response.headers["Content-Disposition"] = \
            f'{disposition}; filename="{invoice.number}.pdf"'
        # The detail page frames this response; everything else under /admin/ stays DENY.
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response
