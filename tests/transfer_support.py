"""Bank transfer test helpers: an open invoice to pay, and a transfer body."""
from __future__ import annotations

from app.invoices import service as invoices
from tests.invoice_support import FINANCE, act, draft_with_lines


def open_invoice(currency: str = "GBP"):
    """An issued invoice awaiting payment: 2 x 50.00 + 20 % = 120.00 (GBP)."""
    draft = draft_with_lines(("Consulting", 2, 5000, "standard"), currency=currency)
    return act(invoices.finalise, draft.id, actor=FINANCE)


def transfer_body(reference: str, amount: int, currency: str = "GBP", **more) -> dict:
    return {"amount": amount, "currency": currency, "reference": reference,
            "value_date": "2026-12-02", "payer_name": "Ada Lovelace", **more}
