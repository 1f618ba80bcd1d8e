"""Sample context per template, for the back office preview (and the benchmark): amounts
and dates as values, as the handlers give them, so a preview shows how each language
writes them."""
from datetime import date

from app.notifications.localise import Amount

_DOC = {"kind": "invoice", "number": "INV-2026-000042", "amount": Amount(11900, "EUR"),
        "due": Amount(11900, "EUR"), "due_date": date(2026, 12, 31),
        "iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "paid": False, "corrects": None,
        "corrects_date": None}

SAMPLES: dict[str, dict] = {
    "email_verification": {"name": "Ada Lovelace", "link": "https://shop.example/verify-email?token=SAMPLE",
                           "token": "SAMPLE", "hours": 48},
    "password_reset": {"link": "https://shop.example/reset-password?token=SAMPLE", "token": "SAMPLE"},
    "registration_attempt": {"reset_link": "https://shop.example/reset-password"},
    "order_confirmation": {"name": "Ada Lovelace", "order_label": "#1042",
                           "order_id": "3f1c9a9e-0000-4000-8000-000000000042",
                           "lines": [{"quantity": 2, "name": "Widget", "sku": "W-1",
                                      "total": Amount(5000, "EUR")}],
                           "total": Amount(5950, "EUR"), "tax": Amount(950, "EUR")},
    "invoice_sent": {"name": "Ada Lovelace", "doc": _DOC},
    "payment_receipt": {"name": "Ada Lovelace", "doc": {**_DOC, "due": None, "paid": True}},
    "payment_failed": {"name": "Ada Lovelace", "order_label": "#1042", "invoice_number": None,
                       "amount": Amount(5950, "EUR"), "reason_code": "card_declined",
                       "reason": "Your card was declined.", "card": True},
    "refund_issued": {"name": "Ada Lovelace", "order_label": "#1042", "invoice_number": None,
                      "amount": Amount(2000, "EUR")},
    "credit_note_issued": {"name": "Ada Lovelace", "doc": {
        **_DOC, "kind": "credit_note", "number": "CN-2026-000007",
        "due": None, "corrects": "INV-2026-000042", "corrects_date": date(2026, 12, 1)}},
    "overdue_reminder": {"name": "Ada Lovelace", "doc": _DOC},
    "fraud_review_outcome": {"name": "Ada Lovelace", "order_label": "#1042", "outcome": "approved"},
    "invoice_link": {"kind": "invoice", "number": "INV-2026-000042", "order_label": "#1042",
                     "link": "https://shop.example/api/v1/invoices/42/pdf"},
    "phone_code": {"code": "123456"},
    "webhook_disabled": {"url": "https://partner.example/hooks", "endpoint_id": "42",
                         "reason": "Failing for 3 days", "seller": "NextGen Market GmbH"},
    "staff_mfa_link": {"requested_by": None,
                       "link": "https://example.com/admin/2fa/setup/sample", "minutes": 30},
}
