"""Orders: placing (with exact stock reservation) and status changes; lists are in
app.orders.queries."""
from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import select, update

from app.audit import service as audit
from app.catalog import cache as catalog_cache
from app.catalog.models import Product
from app.core.actor import Actor
from app.core.lookup import get_or_not_found
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.types import as_uuid, utcnow
from app.events.dispatch import commit
from app.events.service import publish
from app.extensions import db
from app.orders import rules
from app.orders.addresses import normalise_address
from app.orders.models import Order, OrderHistory, OrderLine


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

    # Guarded decrements, in a fixed order so concurrent orders never deadlock.
    for i, (pid, qty) in sorted(enumerate(wanted), key=lambda item: str(item[1][0])):
        reserved = db.session.execute(
            update(Product)
            .where(Product.id == pid, Product.active.is_(True), Product.stock_on_hand >= qty)
            .values(stock_on_hand=Product.stock_on_hand - qty)
            .execution_options(synchronize_session=False)
        ).rowcount
        if reserved != 1:
            db.session.rollback()
            raise Conflict("Not enough stock.",
                           errors={"lines": {str(i): {"quantity": ["Not enough stock."]}}})

    order = Order(id=uuid.uuid4(), customer_id=as_uuid(customer_id), status="pending_payment",
                  currency=currencies.pop(), country=shipping["country"],
                  shipping_address=shipping, billing_address=billing)
    subtotal = 0
    for position, (pid, qty) in enumerate(wanted):
        product = products[pid]
        line_total = product.price_amount * qty
        subtotal += line_total
        order.lines.append(OrderLine(
            position=position, product_id=pid, sku=product.sku, name=product.name,
            tax_category=product.tax_category, unit_price_amount=product.price_amount,
            quantity=qty, line_total_amount=line_total))
    order.subtotal_amount = subtotal
    order.total_amount = subtotal  # tax is added by invoicing
    order.history.append(OrderHistory(from_status=None, to_status="pending_payment",
                                      actor=actor.ref))
    db.session.add(order)
    audit.record(actor, "order.place", "order", order.id,
                 after={"total_amount": order.total_amount, "currency": order.currency,
                        "lines": [(line.sku, line.quantity) for line in order.lines]})
    publish("order.placed", {"order_id": str(order.id), "customer_id": str(order.customer_id)})
    commit()
    catalog_cache.invalidate([pid for pid, _ in wanted])  # stock shows on product pages
    return order


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
    if actor.kind == "user" and order.customer_id != actor.id:
        raise NotFound("Order not found.")
    return order


def _transition(order: Order, target: str, actor: Actor, *, allowed_from: set[str] | None = None,
                note: str = "", extra: dict | None = None) -> Order:
    current = order.status
    rules.check_transition(current, target)
    if allowed_from is not None and current not in allowed_from:
        raise Conflict(f"This order can no longer be moved to {target.replace('_', ' ')} by you.")
    values = {"status": target, "updated_at": utcnow(), **(extra or {})}
    # Guarded: of two concurrent transitions from the same state exactly one wins.
    moved = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == current).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise Conflict("The order changed meanwhile; reload and try again.")
    db.session.add(OrderHistory(order_id=order.id, from_status=current, to_status=target,
                                actor=actor.ref, note=note[:500]))
    audit.record(actor, f"order.{target}", "order", order.id,
                 before={"status": current}, after={"status": target})
    publish(f"order.{target}", {"order_id": str(order.id), "from": current})
    return order


def cancel(order_id, *, actor: Actor, reason: str = "") -> Order:
    order = get_visible(order_id, actor)
    _transition(order, "cancelled", actor, allowed_from=rules.cancellable_from(actor),
                note=reason, extra={"cancelled_at": utcnow(), "restocked": True})
    for line in order.lines:  # the guarded transition above makes this happen exactly once
        db.session.execute(update(Product).where(Product.id == line.product_id)
                           .values(stock_on_hand=Product.stock_on_hand + line.quantity))
    commit()
    catalog_cache.invalidate([line.product_id for line in order.lines])
    db.session.refresh(order)
    return order


def _by_staff(order_id, target: str, actor: Actor, stamp: str) -> Order:
    """Transitions customers never make themselves (payments and staff do)."""
    if actor.kind == "user":
        raise PermissionDenied(f"Customers cannot mark orders {target}.")
    order = get(order_id)
    _transition(order, target, actor, extra={stamp: utcnow()})
    commit()
    db.session.refresh(order)
    return order


def mark_paid(order_id, *, actor: Actor) -> Order:
    return _by_staff(order_id, "paid", actor, "paid_at")


def fulfil(order_id, *, actor: Actor) -> Order:
    return _by_staff(order_id, "fulfilled", actor, "fulfilled_at")


