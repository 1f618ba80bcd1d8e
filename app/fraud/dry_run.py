"""A draft rule replayed over the latest orders: what it would have caught. Each order is
judged on the attributes its placement check saw (counters included, as they were
then); an order screened before checks were kept is judged on what it still shows
(counters 0, no IP). Current lists apply."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import InvalidInput
from app.extensions import db
from app.fraud import attributes, expression, ruleset, score as scoring
from app.fraud.attributes import KNOWN
from app.fraud.models import FraudCheck
from app.orders.models import Order
from app.users.models import User


@dataclass(frozen=True)
class Caught:
    order_id: str
    created_at: object
    amount: int
    currency: str
    status: str
    decided: str | None  # what screening decided then


@dataclass(frozen=True)
class DryRun:
    total: int
    caught: list[Caught]

    @property
    def share(self) -> float:
        return len(self.caught) / self.total if self.total else 0.0


def compile_draft(text: str):
    try:
        return expression.compile_rule(text, set(KNOWN), ruleset.list_names())
    except expression.RuleSyntaxError as exc:
        raise InvalidInput(f"The rule does not parse: {exc}.",
                           errors={"expression": [str(exc)], "position": [exc.position]}) from None


def run(text: str, *, limit: int | None = None) -> DryRun:
    predicate = compile_draft(text)
    limit = limit or current_app.config["FRAUD_DRY_RUN_ORDERS"]
    orders = db.session.scalars(select(Order).options(selectinload(Order.lines))
                                .order_by(Order.created_at.desc(), Order.id.desc())
                                .limit(limit)).all()
    ids = [o.id for o in orders]
    seen = {}
    for check in db.session.scalars(select(FraudCheck).where(
            FraudCheck.order_id.in_(ids), FraudCheck.stage == "order",
            FraudCheck.status == "done")):
        seen[check.order_id] = check
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({o.customer_id for o in orders})))}
    lists = ruleset.lists()
    config = current_app.config
    caught = []
    for order in orders:
        check = seen.get(order.id)
        if check is not None and check.attributes:
            attrs = dict(check.attributes)
        else:
            attrs = attributes.base(order, users.get(order.customer_id), ip=None,
                                    ip_country=None, stage="order", now=order.created_at)
            attrs = attributes.complete(attrs, lists, {})
            attrs["risk_score"] = scoring.score(
                attrs, scoring.settings_from(config, order.currency))[0]
        if predicate(attrs, lists):
            caught.append(Caught(str(order.id), order.created_at, order.total_amount,
                                 order.currency, order.status,
                                 check.action if check is not None else None))
    return DryRun(len(orders), caught)
