"""Find anything from the back office's top bar: customers, orders, invoices and payments
by id, order number ("#1042" or "1042"), invoice number, email, name or amount ("102.80").

One query per kind, each with a LIMIT; the text only ever reaches SQL as a bound parameter
(LIKE patterns with their wildcards escaped), and is read as a number, an amount or an id
only when it is one."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy import false, or_, select

from app.core.like import ESCAPE, contains, starts_with
from app.core.money import NotAnAmount, currencies, exact_minor, exponent, parse_decimal
from app.extensions import db
from app.invoices.models import Invoice
from app.orders.models import Order
from app.payments.models import Payment
from app.users.models import User

LIMIT = 20
MAX_QUERY = 200
_ORDER_NUMBER = re.compile(r"#?(\d{1,18})")
_BIGINT_MAX = 2**63 - 1


@dataclass
class Query:
    text: str
    ident: uuid.UUID | None = None
    number: int | None = None
    amounts: list[tuple[str, int]] = field(default_factory=list)  # (currency, minor)

    @property
    def wordy(self) -> bool:
        """Text worth matching against names, emails and numbers (not a lone '#')."""
        return len(self.text.strip("#")) >= 2


def parse(text: str) -> Query:
    text = (text or "").strip()[:MAX_QUERY]
    q = Query(text=text)
    try:
        q.ident = uuid.UUID(text)
    except ValueError:
        pass
    match = _ORDER_NUMBER.fullmatch(text)
    if match and int(match.group(1)) <= _BIGINT_MAX:
        q.number = int(match.group(1))
    if not text.startswith("#"):
        try:
            value = parse_decimal(text)
        except NotAnAmount:
            value = None
        if value is not None and value > 0:
            for cur in sorted(currencies()):
                try:
                    minor = exact_minor(value, cur)
                except NotAnAmount:
                    continue
                if minor <= _BIGINT_MAX and (exponent(cur) or "." not in text):
                    q.amounts.append((cur, minor))
    return q


def _amount_match(amount_col, currency_col, q: Query):
    if not q.amounts:
        return false()
    by_minor: dict[int, list[str]] = {}
    for cur, minor in q.amounts:
        by_minor.setdefault(minor, []).append(cur)
    return or_(*[(amount_col == minor) & currency_col.in_(curs)
                 for minor, curs in by_minor.items()])


def _matching_customers(q: Query):
    """Ids of customers whose email or name matches (a subquery, bounded)."""
    pattern = contains(q.text)
    return (select(User.id).where(or_(User.email.ilike(pattern, escape=ESCAPE),
                                      User.full_name.ilike(pattern, escape=ESCAPE)))
            .limit(LIMIT))


def customers(q: Query, limit: int = LIMIT) -> list[User]:
    conds = []
    if q.ident:
        conds.append(User.id == q.ident)
    if q.wordy:
        pattern = contains(q.text)
        conds += [User.email.ilike(pattern, escape=ESCAPE),
                  User.full_name.ilike(pattern, escape=ESCAPE)]
    if not conds:
        return []
    return list(db.session.scalars(select(User).where(or_(*conds))
                                   .order_by(User.created_at.desc()).limit(limit)))


def orders(q: Query, limit: int = LIMIT) -> list[Order]:
    conds = [_amount_match(Order.total_amount, Order.currency, q)]
    if q.ident:
        conds.append(Order.id == q.ident)
    if q.number is not None:
        conds.append(Order.number == q.number)
    if q.wordy and q.number is None and not q.amounts:
        conds.append(Order.customer_id.in_(_matching_customers(q)))
    return list(db.session.scalars(select(Order).where(or_(*conds))
                                   .order_by(Order.created_at.desc(), Order.id.desc())
                                   .limit(limit)))


def invoices(q: Query, limit: int = LIMIT) -> list[Invoice]:
    conds = [_amount_match(Invoice.total_amount, Invoice.currency, q)]
    if q.ident:
        conds += [Invoice.id == q.ident, Invoice.order_id == q.ident]
    if q.wordy:
        # Invoice numbers are typed from their start ("INV-2026-0004"); a prefix match
        # uses the unique index.
        conds.append(Invoice.number.ilike(starts_with(q.text), escape=ESCAPE))
        if q.number is None and not q.amounts:
            conds.append(Invoice.customer_id.in_(_matching_customers(q)))
    if q.number is not None:
        conds.append(Invoice.order_id.in_(select(Order.id).where(Order.number == q.number)))
    return list(db.session.scalars(select(Invoice).where(or_(*conds))
                                   .order_by(Invoice.created_at.desc(), Invoice.id.desc())
                                   .limit(limit)))


def payments(q: Query, limit: int = LIMIT) -> list[Payment]:
    conds = [_amount_match(Payment.amount, Payment.currency, q)]
    if q.ident:
        conds += [Payment.id == q.ident, Payment.order_id == q.ident]
    if q.wordy:
        conds.append(Payment.gateway_payment_id == q.text)
    if q.number is not None:
        conds.append(Payment.order_id.in_(select(Order.id).where(Order.number == q.number)))
    return list(db.session.scalars(select(Payment).where(or_(*conds))
                                   .order_by(Payment.created_at.desc(), Payment.id.desc())
                                   .limit(limit)))


KINDS = ("customers", "orders", "invoices", "payments")


def find(text: str, kinds=KINDS) -> dict[str, list]:
    q = parse(text)
    if not q.text:
        return {kind: [] for kind in kinds}
    finders = {"customers": customers, "orders": orders, "invoices": invoices,
               "payments": payments}
    return {kind: finders[kind](q) for kind in kinds}
