"""Invoices: customers read their own; partners and staff tools write (invoices:write)."""
from __future__ import annotations

from flask import current_app, request, stream_with_context
from flask.views import MethodView
from flask_smorest import abort

from api import http_cache
from api.idempotency import json_response
from api.invoices.schemas import (
    CreditNoteSchema, InvoiceCreateSchema, InvoiceListSchema, InvoiceQueryArgsSchema,
    InvoiceSchema, LineCreateSchema, MarkPaidSchema,
)
from api.invoices.serialize import etag, invoice_dict
from api.security import current_principal
from api.smorest import Blueprint
from app.invoices import service as invoices

blp = Blueprint("invoices", __name__, url_prefix="/api/v1/invoices", description="Invoices")

READ, WRITE = ("invoices:read",), ("invoices:write",)
IF_MATCH = {"name": "If-Match", "in": "header", "required": False,
            "description": "The ETag from GET: the change is refused (412) if the invoice "
                           "changed meanwhile.", "schema": {"type": "string"}}


def _answer(invoice, status: int = 200):
    body = invoice_dict(invoice)
    response = json_response(body, status)
    response.set_etag(etag(body))
    return response


def _check_if_match(invoice_id) -> None:
    wanted = request.if_match
    if not wanted:
        return
    current = etag(invoice_dict(invoices.get(invoice_id)))
    if not wanted.contains(current) and not wanted.star_tag:
        abort(412, message="The invoice changed since you read it; GET it again.")


def _change(invoice_id, operation, status: int = 200, **kwargs):
    _check_if_match(invoice_id)
    return _answer(operation(invoice_id, actor=current_principal().actor, **kwargs), status)


def _documented_change(func):
    for decorator in (
        blp.alt_response(412, response="DEFAULT_ERROR", description="Stale If-Match"),
        blp.alt_response(409, response="DEFAULT_ERROR", description="Not allowed in this state"),
        blp.alt_response(404, response="DEFAULT_ERROR", description="No such invoice"),
        blp.doc(parameters=[IF_MATCH]),
        blp.auth(scopes=WRITE),
    ):
        func = decorator(func)
    return func


@blp.route("")
class Invoices(MethodView):
    @blp.auth(user=True, scopes=READ)
    @blp.arguments(InvoiceQueryArgsSchema, location="query")
    @blp.response(200, InvoiceListSchema)
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Malformed cursor or filters")
    def get(self, args):
        """Newest first, keyset-paginated. Customers see their own issued invoices;
        partners (invoices:read) see all."""
        actor = current_principal().actor
        rows, cursor = invoices.list_invoices(
            customer_id=actor.customer_scope, status=args.get("status"),
            series=args.get("series"), cursor=args.get("cursor"), limit=args["limit"])
        return json_response({"data": [invoice_dict(i) for i in rows],
                              "has_more": cursor is not None, "next_cursor": cursor}, 200)

    @blp.auth(scopes=WRITE)
    @blp.arguments(InvoiceCreateSchema)
    @blp.response(201, InvoiceSchema)
    def post(self, data):
        """Create a draft invoice."""
        invoice = invoices.create_draft(actor=current_principal().actor, **data)
        return _answer(invoice, 201)


@blp.route("/<invoice_id>")
class InvoiceItem(MethodView):
    @blp.auth(user=True, scopes=READ)
    @blp.response(200, InvoiceSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such invoice (or not yours)")
    def get(self, invoice_id):
        """One invoice with its lines; the ETag serves If-Match on changes."""
        return _answer(invoices.get_visible(invoice_id, current_principal().actor))


@blp.route("/<invoice_id>/pdf")
@blp.auth(user=True, scopes=READ)
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
              description="The PDF (binary; the amounts as on the invoice)")
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such invoice (or not yours)")
@blp.alt_response(409, retry_after=True, description="Still being generated; retry after Retry-After seconds")
def invoice_pdf(invoice_id):
    """The invoice's PDF, streamed."""
    invoice = invoices.get_visible(invoice_id, current_principal().actor)
    if invoice.pdf_status != "ready" or not invoice.pdf_path:
        abort(409, message="The PDF is being generated; retry shortly.",
              headers={"Retry-After": "5"})
    from app.invoices.storage import get_storage

    # A rendered PDF is stored under its path and re-rendered only after the invoice
    # changes: its validator needs no read of the file, and a 304 opens none.
    etag = http_cache.etag_of(f"{invoice.pdf_path}|{invoice.status}|{invoice.updated_at.isoformat()}".encode())
    if http_cache.matches(etag, request.headers.get("If-None-Match")):
        return current_app.response_class(status=304, headers={"ETag": etag})
    handle = get_storage(current_app).open(invoice.pdf_path)

    def chunks():
        with handle:
            while block := handle.read(64 * 1024):
                yield block

    response = current_app.response_class(stream_with_context(chunks()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    response.headers["ETag"] = etag
    return response


@blp.route("/<invoice_id>/lines", methods=["POST"])
@blp.arguments(LineCreateSchema)
@blp.response(201, InvoiceSchema)
@_documented_change
def add_line(data, invoice_id):
    """Add a line to a draft; tax and totals are recomputed."""
    _check_if_match(invoice_id)
    invoices.add_line(invoice_id, actor=current_principal().actor, **data)
    return _answer(invoices.get(invoice_id), 201)


@blp.route("/<invoice_id>/lines/<line_id>", methods=["DELETE"])
@blp.response(200, InvoiceSchema)
@_documented_change
def remove_line(invoice_id, line_id):
    """Remove a line from a draft."""
    return _change(invoice_id, invoices.remove_line, line_id=line_id)


@blp.route("/<invoice_id>/finalise", methods=["POST"])
@blp.response(200, InvoiceSchema)
@_documented_change
def finalise(invoice_id):
    """Finalise: number it (gapless, per series), freeze it, render its PDF."""
    return _change(invoice_id, invoices.finalise)


@blp.route("/<invoice_id>/send", methods=["POST"])
@blp.response(200, InvoiceSchema)
@_documented_change
def send(invoice_id):
    """Email it to the buyer with the PDF attached."""
    return _change(invoice_id, invoices.send)


@blp.route("/<invoice_id>/mark-paid", methods=["POST"])
@blp.arguments(MarkPaidSchema)
@blp.response(200, InvoiceSchema)
@_documented_change
def mark_paid(data, invoice_id):
    """Record that what is due was paid (e.g. a bank transfer arrived)."""
    return _change(invoice_id, invoices.mark_paid, reference=data.get("reference"))


@blp.route("/<invoice_id>/cancel", methods=["POST"])
@blp.response(200, InvoiceSchema)
@_documented_change
def cancel(invoice_id):
    """Void it (a draft, or issued and unpaid); a number stays used."""
    return _change(invoice_id, invoices.cancel)


@blp.route("/<invoice_id>/credit-notes", methods=["POST"])
@blp.arguments(CreditNoteSchema)
@blp.response(201, InvoiceSchema)
@_documented_change
def credit_note(data, invoice_id):
    """Issue a credit note for it (series CN), finalised: for the whole remaining amount,
    for some lines and quantities, or for an amount. The sum credited never exceeds the
    invoice total; a fully credited open invoice becomes `credited` (nothing due)."""
    return _change(invoice_id, invoices.issue_credit_note, 201, reason=data["reason"],
                   lines=[{**line, "line_id": str(line["line_id"])} for line in data["lines"]]
                   if "lines" in data else None, amount=data.get("amount"))
