"""Invoice test helpers."""
from datetime import date

from app.core.actor import Actor
from app.core.uow import unit_of_work
from app.tax import service as tax

FINANCE = Actor(kind="staff", label="finance@test", role="finance")
BUYER = {"name": "Ada Lovelace", "email": "ada@example.com",
         "address": {"name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
                     "postal_code": "N1 9GU", "country": "GB"}}


@unit_of_work()
def rates() -> None:
    for country, category, rate in (("GB", "standard", "0.20"), ("GB", "reduced", "0.05"),
                                     ("DE", "standard", "0.19"), ("DE", "reduced", "0.07"),
                                     ("FR", "standard", "0.20")):
        tax.create_rate(country, category, rate, f"{country} {category}", date(2020, 1, 1),
                        actor=FINANCE)


@unit_of_work()
def draft_with_lines(*lines, currency="GBP", buyer=None, **kwargs):
    from app.invoices import service

    invoice = service.create_draft(currency=currency, buyer=buyer or BUYER, actor=FINANCE, **kwargs)
    for description, quantity, unit, category in lines:
        service.add_line(invoice.id, description=description, quantity=quantity, unit_amount=unit,
                         tax_category=category, actor=FINANCE)
    return invoice


def backdate_due(invoice_id, days: int) -> None:
    """Test set-up only: an invoice issued long ago, made by moving its due date into the
    past. Issued invoices are immutable (a PostgreSQL trigger refuses the UPDATE), so the
    triggers are bypassed for this one transaction, as a restore of old data would."""
    from datetime import timedelta

    from sqlalchemy import text, update

    from app.core.clock import business_date
    from app.extensions import db
    from app.invoices.models import Invoice

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(update(Invoice).where(Invoice.id == invoice_id)
                       .values(due_date=business_date() - timedelta(days=days))
                       .execution_options(synchronize_session=False))
    db.session.commit()


def act(operation, *args, **kwargs):
    """Call a service as a runner does: one unit of work, committed when it returns,
    rolled back when it raises (services never commit themselves)."""
    with unit_of_work():
        return operation(*args, **kwargs)
