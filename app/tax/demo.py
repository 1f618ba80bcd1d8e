"""Demo tax rates (idempotent): a few EU countries and the UK, standard and reduced."""
from datetime import date

from sqlalchemy import select

from app.core.actor import Actor
from app.extensions import db
from app.tax import service
from app.tax.models import TaxRate

RATES = [
    ("DE", "standard", "0.19", "DE VAT 19 %"), ("DE", "reduced", "0.07", "DE VAT 7 %"),
    ("FR", "standard", "0.20", "FR TVA 20 %"), ("FR", "reduced", "0.055", "FR TVA 5.5 %"),
    ("NL", "standard", "0.21", "NL BTW 21 %"), ("NL", "reduced", "0.09", "NL BTW 9 %"),
    ("GB", "standard", "0.20", "UK VAT 20 %"), ("GB", "reduced", "0.05", "UK VAT 5 %"),
    ("US", "standard", "0.00", "US (no federal sales tax)"),
    ("US", "reduced", "0.00", "US (no federal sales tax)"),
]


def load(valid_from: date = date(2020, 1, 1)) -> int:
    actor = Actor.system("demo-loader")
    created = 0
    for country, category, rate, name in RATES:
        exists = db.session.scalars(select(TaxRate.id).where(
            TaxRate.country == country, TaxRate.tax_category == category)).first()
        if not exists:
            service.create_rate(country, category, rate, name, valid_from, actor=actor)
            created += 1
    return created
