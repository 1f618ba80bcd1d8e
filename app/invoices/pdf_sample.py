"""In-memory sample invoices (never added to a session) for PDF tests, previews and
benchmarks: ``pdf.render(sample_invoice(100))`` is the "direct ReportLab" baseline that a
bench compares with the job path (database read + render + store)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from app import models as _all_models  # noqa: F401  (Invoice's relationships name Order:
# every model must be mapped before one is built, even with no app, e.g. a PDF test alone)
from app.invoices.models import Invoice, InvoiceLine
from app.tax.calculate import LineIn, compute

SAMPLE_SELLER = {
    "name": "NextGen Market GmbH",
    "address": {"line1": "Friedrichstraße 1", "postal_code": "10117", "city": "Berlin",
                "country": "DE"},
    "country": "DE", "tax_id": "DE123456789", "email": "billing@nextgen.example",
    "bank": {"name": "Demo Bank", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"},
    "logo_path": None,
}
SAMPLE_BUYER = {"name": "陈伟", "email": "chen.wei@example.cn", "tax_id": None,
                "is_business": False,
                "address": {"name": "陈伟", "line1": "人民路 88号", "postal_code": "200000",
                            "city": "上海", "country": "CN"}}
SAMPLE_RATES = (Decimal("0.19"), Decimal("0.07"), Decimal("0"))


def sample_invoice(n_lines: int = 10, *, kind: str = "invoice", reverse_charge: bool = False,
                   buyer: dict | None = None, currency: str = "EUR", inclusive: bool = False,
                   number: str | None = "INV-2026-000123", notes: str = "",
                   descriptions: list[str] | None = None,
                   seller: dict | None = SAMPLE_SELLER) -> Invoice:
    """A finalised invoice (or a draft when ``number`` is None, or a credit note with
    negative amounts) whose amounts come from the one tax computation."""
    descriptions = descriptions or [f"Line item {i + 1:03d} – Ergonomic widget"
                                    for i in range(n_lines)]
    specs = [(desc, i % 4 + 1, 1999 + 137 * i,
              Decimal(0) if reverse_charge else SAMPLE_RATES[i % len(SAMPLE_RATES)])
             for i, desc in enumerate(descriptions)]
    totals = compute([LineIn(q, u, r) for _, q, u, r in specs], inclusive=inclusive)
    sign = -1 if kind == "credit_note" else 1
    issued = number is not None
    invoice = Invoice(
        kind=kind, series="CN" if kind == "credit_note" else "INV", number=number,
        status="finalised" if issued else "draft", currency=currency, tax_inclusive=inclusive,
        reverse_charge=reverse_charge, buyer=buyer or SAMPLE_BUYER, seller=seller, notes=notes,
        subtotal_amount=sign * totals.subtotal, tax_amount=sign * totals.tax,
        total_amount=sign * totals.total, issue_date=date(2026, 3, 2) if issued else None,
        due_date=date(2026, 3, 16) if issued else None,
        finalised_at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc) if issued else None)
    for i, ((desc, qty, unit, rate), out) in enumerate(zip(specs, totals.lines)):
        invoice.lines.append(InvoiceLine(
            position=i + 1, description=desc, sku=f"SKU-{i:04d}" if i % 5 == 0 else None,
            quantity=qty, unit_amount=unit, tax_category="standard", tax_rate=rate,
            net_amount=sign * out.net, tax_amount=sign * out.tax, gross_amount=sign * out.gross))
    return invoice
