"""Hand-built invoice dicts (the contract is InvoiceSchema; a test keeps them equal)."""
from __future__ import annotations

import hashlib

import orjson


def _ts(value):
    return value.isoformat() if value is not None else None


def _id(value):
    return str(value) if value is not None else None


def invoice_dict(invoice) -> dict:
    return {
        "id": str(invoice.id), "kind": invoice.kind, "series": invoice.series,
        "number": invoice.number, "status": invoice.status,
        "customer_id": _id(invoice.customer_id), "order_id": _id(invoice.order_id),
        "credit_note_for_id": _id(invoice.credit_note_for_id), "currency": invoice.currency,
        "tax_inclusive": invoice.tax_inclusive, "reverse_charge": invoice.reverse_charge,
        "buyer": invoice.buyer, "notes": invoice.notes,
        "subtotal_amount": invoice.subtotal_amount, "tax_amount": invoice.tax_amount,
        "total_amount": invoice.total_amount, "amount_paid": invoice.amount_paid,
        "amount_credited": invoice.amount_credited, "amount_due": invoice.amount_due,
        "payment_reference": invoice.payment_reference,
        "issue_date": _ts(invoice.issue_date), "tax_date": _ts(invoice.tax_date),
        "due_date": _ts(invoice.due_date),
        "pdf_status": invoice.pdf_status,
        "lines": [{
            "id": str(l.id), "position": l.position, "description": l.description, "sku": l.sku,
            "product_id": _id(l.product_id), "quantity": l.quantity, "unit_amount": l.unit_amount,
            "tax_category": l.tax_category, "tax_rate": f"{l.tax_rate:.6f}",
            "net_amount": l.net_amount, "tax_amount": l.tax_amount, "gross_amount": l.gross_amount,
            "credits_line_id": _id(l.credits_line_id),
        } for l in invoice.lines],
        "created_at": _ts(invoice.created_at), "finalised_at": _ts(invoice.finalised_at),
        "sent_at": _ts(invoice.sent_at), "paid_at": _ts(invoice.paid_at),
        "cancelled_at": _ts(invoice.cancelled_at),
    }


def etag(body: dict) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]
