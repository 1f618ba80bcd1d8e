"""Orders: placing (with exact stock reservation) and status changes; lists are in
app.orders.queries."""
from __future__ import annotations

import uuid
from collections import Counter

from flask import current_app
from sqlalchemy import select, update

from app import metrics
from app.audit import service as audit
from app.catalog import cache as catalog_cache
from app.catalog.models import Product
from app.core.actor import Actor
from app.core import uow
from app.core import transitions
from app.core.clock import business_date
from app.core.lookup import get_or_not_found
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.types import as_uuid, utcnow
from app.events.service import publish
from app.extensions import db
from app.orders import rules
from app.orders.addresses import normalise_address
from app.orders.models import Order, OrderHistory, OrderLine
from app.tax import pricing
from app.tax.service import NoTaxRate


def place(customer_id, lines: list[dict], shipping_address: dict,
          billing_address: dict | None = None, *, actor: Actor) -> Order:
    """Create an order at catalogue prices and reserve its stock, all or nothing."""
    wanted = _validate_lines(lines)
    shipping = normalise_address(shipping_address, "shipping_address")
    billing = normalise_address(billing_address, "billing_address") if billing_address else shipping
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_([pid for pid, _ in wanted])))}
    errors = {}
    for i, (pid, _) in enumerate(wanted):
        product = products.get(pid)
        if product is None or not product.active:
            errors[str(i)] = {"product_id": ["Unknown or unavailable product."]}
    if errors:
        raise InvalidInput("Some lines cannot be ordered.", errors={"lines": errors})
    currencies = {products[pid].currency for pid, _ in wanted}
    if len(currencies) > 1:
        raise InvalidInput("All products of an order must share one currency.",
                           errors={"lines": ["Mixed currencies: " + ", ".join(sorted(currencies))]})

    currency = next(iter(currencies))
    order = Order(id=uuid.uuid4(), customer_id=as_uuid(customer_id), status="pending_payment",
                  currency=currency, country=shipping["country"],
                  shipping_address=shipping, billing_address=billing)
    _price(order, [(products[pid], qty) for pid, qty in wanted])

    # Guarded decrements, in a fixed order so concurrent orders never deadlock.
    for i, (pid, qty) in sorted(enumerate(wanted), key=lambda item: str(item[1][0])):
        reserved = db.session.execute(
            update(Product)
            .where(Product.id == pid, Product.active.is_(True), Product.stock_on_hand >= qty)
            .values(stock_on_hand=Product.stock_on_hand - qty)
            .execution_options(synchronize_session=False)
        ).rowcount
        if reserved != 1:
            uow.rollback()  # the lines already reserved are given back
            raise Conflict("Not enough stock.",
                           errors={"lines": {str(i): {"quantity": ["Not enough stock."]}}})

    order.history.append(OrderHistory(from_status=None, to_status="pending_payment",
                                      actor=actor.ref))
    db.session.add(order)
    audit.record(actor, "order.place", "order", order.id,
                 after={"total_amount": order.total_amount, "currency": order.currency,
                        "lines": [(line.sku, line.quantity) for line in order.lines]})
    publish("order.placed", {"order_id": str(order.id), "customer_id": str(order.customer_id)})
    metrics.order_placed(order.currency, order.total_amount)
    db.session.flush()
    # What only this request knows (IP, its country) for the fraud screening job.
    from app.fraud.checks import capture_placement
    capture_placement(order)
    db.session.flush()
    # Stock shows on product pages.
    uow.after_commit(catalog_cache.invalidate, [pid for pid, _ in wanted])
    return order


def _price(order: Order, items: list) -> None:
    """Tax per line at the rates in force on the supply date (the seller's today) where
    the goods go; the total is what the customer is charged and what the invoice says."""
    order.tax_date = business_date()
    order.tax_inclusive = order.currency in current_app.config["TAX_INCLUSIVE_CURRENCIES"]
    priced = [pricing.Item(qty, product.price_amount, product.tax_category)
              for product, qty in items]
    try:
        rates = pricing.rates_for([i.tax_category for i in priced], country=order.country,
                                  region=order.shipping_address.get("region"), on=order.tax_date)
    except NoTaxRate as exc:
        raise InvalidInput(f"We cannot sell to {exc.country}: no tax rate is configured there.",
                           errors={"shipping_address": {"country": [
                               f"No tax rate configured for {exc.country}."]}}) from None
    totals = pricing.price(priced, rates, inclusive=order.tax_inclusive)
    for position, ((product, qty), out) in enumerate(zip(items, totals.lines)):
        order.lines.append(OrderLine(
            position=position, product_id=product.id, sku=product.sku, name=product.name,
            tax_category=product.tax_category, unit_price_amount=product.price_amount,
            quantity=qty, line_total_amount=product.price_amount * qty, tax_rate=out.rate,
            net_amount=out.net, tax_amount=out.tax, gross_amount=out.gross))
    order.subtotal_amount, order.tax_amount, order.total_amount = \
        totals.subtotal, totals.tax, totals.total
    order.tax_breakdown = pricing.breakdown_json(order.lines)


def _validate_lines(lines) -> list[tuple[uuid.UUID, int]]:
    if not isinstance(lines, list) or not lines:
        raise InvalidInput("An order needs at least one line.", errors={"lines": ["Required."]})
    if len(lines) > rules.MAX_LINES:
        raise InvalidInput("Too many lines.", errors={"lines": [f"At most {rules.MAX_LINES}."]})
    wanted, errors = [], {}
    for i, line in enumerate(lines):
        pid = as_uuid(line.get("product_id")) if isinstance(line, dict) else None
        qty = line.get("quantity") if isinstance(line, dict) else None
        problems = {}
        if pid is None:
            problems["product_id"] = ["Not a valid id."]
        if not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= rules.MAX_QUANTITY:
            problems["quantity"] = [f"A whole number from 1 to {rules.MAX_QUANTITY}."]
        if problems:
            errors[str(i)] = problems
        wanted.append((pid, qty))
    dupes = [pid for pid, n in Counter(pid for pid, _ in wanted if pid).items() if n > 1]
    for i, (pid, _) in enumerate(wanted):
        if pid in dupes:
            errors.setdefault(str(i), {})["product_id"] = ["Appears on more than one line."]
    if errors:
        raise InvalidInput("Some lines are not valid.", errors={"lines": errors})
    return wanted


def get(order_id) -> Order:
    return get_or_not_found(Order, order_id, "Order not found.")


def get_visible(order_id, actor: Actor) -> Order:
    """Customers see their own orders only; others' are 'not found', not 'forbidden'."""
    order = get(order_id)
    if actor.customer_scope not in (None, order.customer_id):
        raise NotFound("Order not found.")
    return order


def _transition(order: Order, target: str, actor: Actor, *, allowed_from: set[str] | None = None,
                note: str = "", extra: dict | None = None) -> Order:
    if allowed_from is not None and order.status not in allowed_from:
        rules.check_transition(order.status, target)
        raise Conflict(f"This order can no longer be moved to {target.replace('_', ' ')} by you.")
    try:
        transitions.move(order, target, actor=actor, check=rules.check_transition, topic="order",
                         values=extra, history=lambda current, to: OrderHistory(
                             order_id=order.id, from_status=current, to_status=to,
                             actor=actor.ref, note=note[:500]))
    except Conflict:
        uow.rollback()
        raise
    return order


def cancel(order_id, *, actor: Actor, reason: str = "") -> Order:
    order = get_visible(order_id, actor)
    _transition(order, "cancelled", actor, allowed_from=rules.cancellable_from(actor),
                note=reason, extra={"cancelled_at": utcnow(), "restocked": True})
    _restock(order)
    db.session.refresh(order)
    return order


def _restock(order: Order) -> None:
    # Called after a guarded transition that set ``restocked``: exactly once per order.
    for line in order.lines:
        db.session.execute(update(Product).where(Product.id == line.product_id)
                           .values(stock_on_hand=Product.stock_on_hand + line.quantity))
    db.session.flush()
    uow.after_commit(catalog_cache.invalidate, [line.product_id for line in order.lines])


def mark_refunded(order_id, *, actor: Actor, note: str = "") -> Order:
    """Everything paid went back to the customer. Goods not yet shipped return to stock."""
    if actor.kind == "user":
        raise PermissionDenied("Customers cannot mark orders refunded.")
    order = get(order_id)
    restock = order.status == "paid" and not order.restocked
    _transition(order, "refunded", actor, note=note,
                extra={"restocked": True} if restock else None)
    if restock:
        _restock(order)
    db.session.refresh(order)
    return order


def _by_staff(order_id, target: str, actor: Actor, stamp: str, **extra) -> Order:
    """Transitions customers never make themselves (payments and staff do)."""
    if actor.kind == "user":
        raise PermissionDenied(f"Customers cannot mark orders {target}.")
    order = get(order_id)
    _transition(order, target, actor, extra={stamp: utcnow(), **extra})
    db.session.flush()
    db.session.refresh(order)
    return order


def mark_paid(order_id, *, actor: Actor, payment_reference: str | None = None) -> Order:
    """The whole total was received (a bank transfer, a card charge): the paid invoice
    follows, naming this reference."""
    reference = (payment_reference or "").strip()[:100] or None
    return _by_staff(order_id, "paid", actor, "paid_at", payment_reference=reference)


def fulfil(order_id, *, actor: Actor) -> Order:
    return _by_staff(order_id, "fulfilled", actor, "fulfilled_at")


