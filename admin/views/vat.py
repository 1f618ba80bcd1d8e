"""The reverse-charge panel of the invoice detail page: why reverse charge was (or was not)
applied, and the latest VIES check of the buyer's VAT id. The rule itself is
app.tax.reverse_charge's; this only picks the moment and the seller to ask it about."""
from __future__ import annotations

from dataclasses import dataclass

from flask import flash

from app.invoices import parties
from app.invoices.models import Invoice
from app.tax.models import VatCheck
from app.tax.reverse_charge import Decision, reverse_charge_decision
from app.tax.vat_checks import latest_check


@dataclass(frozen=True)
class VatPanel:
    decision: Decision
    when: str  # which moment the decision is for
    tax_id: str | None
    check: VatCheck | None  # the latest check, answered or not
    stale_amounts: bool  # the stored treatment differs from the decision


def vat_panel(invoice: Invoice) -> VatPanel:
    buyer = invoice.buyer or {}
    tax_id = buyer.get("tax_id")
    if invoice.kind == "credit_note":
        decision = Decision(invoice.reverse_charge,
                            "A credit note keeps the treatment of the invoice it credits.")
        return VatPanel(decision, "Credit note", tax_id, latest_check(tax_id), False)
    if invoice.finalised_at is not None:
        # The checks known at finalisation reproduce the decision the invoice was priced with.
        seller_country = (invoice.seller or {}).get("country") or parties.seller()["country"]
        decision = reverse_charge_decision(seller_country, buyer, at=invoice.finalised_at)
        when = f"At finalisation ({invoice.finalised_at.strftime('%Y-%m-%d %H:%M UTC')})"
    else:
        decision = reverse_charge_decision(parties.seller()["country"], buyer)
        when = "Now (a draft is priced again at finalisation)"
    return VatPanel(decision, when, tax_id, latest_check(tax_id),
                    decision.applies != bool(invoice.reverse_charge))


def flash_check(row: VatCheck) -> None:
    if row.error:
        flash(f"VIES could not verify {row.tax_id} ({row.error}): not verified, normal VAT. "
              "Try again later.", "warning")
    elif row.valid:
        flash(f"VIES: {row.tax_id} is valid{f' ({row.name})' if row.name else ''}.", "success")
    else:
        flash(f"VIES: {row.tax_id} is not valid: normal VAT.", "warning")
