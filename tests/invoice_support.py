"""Invoice test helpers."""
from datetime import date

from app.core.actor import Actor
from app.tax import service as tax

FINANCE = Actor(kind="staff", label="finance@test", role="finance")
BUYER = {"name": "Ada Lovelace", "email": "ada@example.com",
         "address": {"name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
                     "postal_code": "N1 9GU", "country": "GB"}}


def rates() -> None:
    for country, category, rate in (("GB", "standard", "0.20"), ("GB", "reduced", "0.05"),
                                     ("DE", "standard", "0.19"), ("DE", "reduced", "0.07"),
                                     ("FR", "standard", "0.20")):
        tax.create_rate(country, category, rate, f"{country} {category}", date(2020, 1, 1),
                        actor=FINANCE)


def draft_with_lines(*lines, currency="GBP", buyer=None, **kwargs):
    from app.invoices import service

    invoice = service.create_draft(currency=currency, buyer=buyer or BUYER, actor=FINANCE, **kwargs)
    for description, quantity, unit, category in lines:
        service.add_line(invoice.id, description=description, quantity=quantity, unit_amount=unit,
                         tax_category=category, actor=FINANCE)
    return invoice
