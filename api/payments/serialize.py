"""Payments and refunds to plain dicts (tests/api/test_payments.py proves them equal
to the schemas' dumps)."""
from __future__ import annotations


def _ts(value):
    return value.isoformat() if value is not None else None


def _id(value):
    return str(value) if value is not None else None


def refund_to_dict(refund) -> dict:
    return {
        "id": str(refund.id), "object": "refund", "payment_id": str(refund.payment_id),
        "amount": refund.amount, "currency": refund.currency, "status": refund.status,
        "reason": refund.reason, "gateway_refund_id": refund.gateway_refund_id,
        "credit_note_id": _id(refund.credit_note_id),
        "pays_out_credit_note_id": _id(refund.pays_out_credit_note_id),
        "lines": [{"line_id": p["line_id"], "quantity": p["quantity"], "net_amount": p["net"],
                   "tax_amount": p["tax"]} for p in refund.lines] if refund.lines else None,
        "failure_code": refund.failure_code,
        "failure_message": refund.failure_message, "created_at": _ts(refund.created_at),
        "updated_at": _ts(refund.updated_at),
    }


def approval_url(payment) -> str | None:
    if payment.gateway != "paypal" or payment.status != "requires_action":
        return None
    return (payment.next_action or {}).get("approval_url")


def payment_to_dict(payment, client_secret: str | None = None) -> dict:
    return {
        "id": str(payment.id), "object": "payment", "order_id": _id(payment.order_id),
        "invoice_id": _id(payment.invoice_id), "customer_id": str(payment.customer_id),
        "method": payment.method, "gateway": payment.gateway, "status": payment.status,
        "amount": payment.amount, "currency": payment.currency,
        "amount_refunded": payment.amount_refunded, "amount_refundable": payment.refundable,
        "gateway_payment_id": payment.gateway_payment_id,
        "payment_method_id": _id(payment.payment_method_id), "client_secret": client_secret,
        "next_action": payment.next_action, "approval_url": approval_url(payment),
        "failure_code": payment.failure_code,
        "failure_message": payment.failure_message,
        "refunds": [refund_to_dict(refund) for refund in payment.refunds],
        "created_at": _ts(payment.created_at), "updated_at": _ts(payment.updated_at),
        "succeeded_at": _ts(payment.succeeded_at),
    }


def payment_method_to_dict(method) -> dict:
    """Masked: the brand, the last four digits and the expiry, never more."""
    return {
        "id": str(method.id), "object": "payment_method", "type": "card",
        "gateway": method.gateway, "brand": method.brand, "last4": method.last4,
        "exp_month": method.exp_month, "exp_year": method.exp_year,
        "created_at": _ts(method.created_at),
    }


def bank_transfer_to_dict(transfer) -> dict:
    return {
        "id": str(transfer.id), "object": "bank_transfer", "amount": transfer.amount,
        "currency": transfer.currency, "reference": transfer.reference,
        "value_date": transfer.value_date.isoformat(), "payer_name": transfer.payer_name,
        "status": transfer.status, "hold_reason": transfer.hold_reason,
        "hold_message": transfer.hold_message, "invoice_id": _id(transfer.invoice_id),
        "order_id": _id(transfer.order_id), "payment_id": _id(transfer.payment_id),
        "note": transfer.note, "created_at": _ts(transfer.created_at),
        "applied_at": _ts(transfer.applied_at), "returned_at": _ts(transfer.returned_at),
    }


def refund_request_to_dict(found) -> dict:
    return {
        "id": str(found.id), "object": "refund_request", "payment_id": str(found.payment_id),
        "amount": found.amount, "currency": found.currency, "reason": found.reason,
        "status": found.status, "refund_id": _id(found.refund_id),
        "pays_out_credit_note_id": _id(found.pays_out_credit_note_id),
        "lines": found.lines or None,
        "created_at": _ts(found.created_at), "decided_at": _ts(found.decided_at),
    }
