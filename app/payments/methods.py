"""Saved payment methods: a returning customer's cards, kept at Stripe and shown masked.

- The user's Stripe Customer is created the first time it is needed and its id stored
  (``GatewayCustomer``); its creation is keyed by our user id, so two requests at once
  make one.
- A card is validated by a SetupIntent the app confirms with its client secret (3-D
  Secure included); the app then saves the resulting PaymentMethod, which is read back
  from Stripe here (a card, and not another customer's) and attached to our customer.
- Removing one detaches it at Stripe (it can never be charged again) and keeps our row.
- Charging one (app.payments.service.open_payment with ``payment_method_id``): only the
  payer's own, not removed, not expired.

Transaction boundaries as for payments: ``open_*`` read in transaction 1, the Stripe
calls run with no transaction open, what Stripe answered is recorded in transaction 2.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import service as audit
from app.core import keyset
from app.core.actor import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.payments import gateways
from app.payments.gateways import Card
from app.payments.method_models import GatewayCustomer, PaymentMethod

GATEWAY = "stripe"  # saved cards are Stripe's; PayPal keeps its buyers' wallets itself
NAMESPACE = uuid.UUID("0c3a4f8e-51d2-5b7e-8a6d-2f9b1c7e4d30")
NOT_SAVABLE = "No card with this id can be saved: create it with Stripe.js for the " \
              "SetupIntent's customer."


def _stripe():
    gateway = gateways.get(GATEWAY)
    gateway.require(*gateway.SETTINGS)
    return gateway


def method_id_for(user_id, gateway_payment_method_id: str) -> uuid.UUID:
    """Our id of a user's card: saving the same card again finds the same row."""
    return uuid.uuid5(NAMESPACE, f"{user_id}\n{GATEWAY}\n{gateway_payment_method_id}")


def _customer_id(user_id) -> str | None:
    return db.session.scalar(select(GatewayCustomer.gateway_customer_id).where(
        GatewayCustomer.user_id == user_id, GatewayCustomer.gateway == GATEWAY))


def _user(actor: Actor):
    from app.users import service as users

    if actor.kind != "user":
        raise NotFound("Customer not found.")
    return users.get(actor.id)


@dataclass(frozen=True)
class _Customer:
    user_id: uuid.UUID
    email: str
    gateway_customer_id: str | None


def _ensure_customer(who: _Customer) -> str:
    """The user's Stripe Customer id, created now if it is the first time (no transaction
    open during the call), then stored; a concurrent request's row wins (Stripe gave both
    the same customer: the creation is keyed by the user id)."""
    if who.gateway_customer_id:
        return who.gateway_customer_id
    created = _stripe().create_customer(who.user_id, who.email)
    savepoint = db.session.begin_nested()
    try:
        db.session.add(GatewayCustomer(user_id=who.user_id, gateway=GATEWAY,
                                       gateway_customer_id=created))
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        return _customer_id(who.user_id)
    savepoint.commit()
    return created


# -- card validation -------------------------------------------------------------------

@dataclass(frozen=True)
class SetupCall:
    customer: _Customer
    setup_id: uuid.UUID


def open_setup(actor: Actor, setup_id: uuid.UUID) -> SetupCall:
    """What creating a SetupIntent for the signed-in customer needs (transaction 1)."""
    user = _user(actor)
    _stripe()
    return SetupCall(_Customer(user.id, user.email, _customer_id(user.id)), setup_id)


def setup(call: SetupCall) -> dict:
    """A SetupIntent for the customer (created at Stripe with its Customer, if needed):
    ``{id, client_secret, status, customer}``; the app confirms it with the secret."""
    customer = _ensure_customer(call.customer)
    found = _stripe().create_setup_intent(customer, call.setup_id)
    return {**found, "customer": customer}


# -- saving, listing, removing ----------------------------------------------------------

@dataclass(frozen=True)
class SaveCall:
    id: uuid.UUID
    customer: _Customer
    gateway_payment_method_id: str
    actor: Actor
    saved: bool  # already saved: nothing to ask Stripe


def open_save(gateway_payment_method_id: str, actor: Actor) -> SaveCall:
    """What saving a card the app validated needs (transaction 1). Saving it again answers
    the saved card; a removed card, or another customer's, cannot be saved."""
    user = _user(actor)
    _stripe()
    pm = (gateway_payment_method_id or "").strip()
    if not pm.startswith("pm_"):
        raise InvalidInput("Not a Stripe PaymentMethod id.",
                           errors={"payment_method": ["A Stripe id: pm_..."]})
    existing = db.session.scalars(select(PaymentMethod).where(
        PaymentMethod.gateway == GATEWAY,
        PaymentMethod.gateway_payment_method_id == pm)).first()
    if existing is not None and existing.user_id != user.id:
        raise InvalidInput(NOT_SAVABLE, errors={"payment_method": ["Not savable."]})
    if existing is not None and existing.detached_at is not None:
        raise InvalidInput("This card was removed; Stripe never charges a removed card "
                           "again: validate the card anew.",
                           errors={"payment_method": ["Removed."]})
    return SaveCall(method_id_for(user.id, pm), _Customer(user.id, user.email,
                                                          _customer_id(user.id)),
                    pm, actor, saved=existing is not None)


def save(call: SaveCall) -> PaymentMethod:
    """Read the card back from Stripe (what the app sent is not trusted), attach it to
    our customer (no transaction open), then record it masked (transaction 2)."""
    if call.saved:
        return db.session.get(PaymentMethod, call.id)
    stripe = _stripe()
    customer = _ensure_customer(call.customer)
    found = stripe.retrieve_payment_method(call.gateway_payment_method_id)
    if found is None or found["type"] != "card" or found["customer"] not in (None, customer):
        raise InvalidInput(NOT_SAVABLE, errors={"payment_method": ["Not savable."]})
    if not (found["last4"] and found["exp_month"] and found["exp_year"]):
        raise InvalidInput(NOT_SAVABLE, errors={"payment_method": ["No card details."]})
    if found["customer"] is None:
        # Stripe attaches a card its SetupIntent confirmed; one that was not is attached
        # here, which also makes Stripe check it (a declined card is refused).
        stripe.attach_payment_method(call.gateway_payment_method_id, customer, call.id)
    method = PaymentMethod(id=call.id, user_id=call.customer.user_id, gateway=GATEWAY,
                           gateway_payment_method_id=call.gateway_payment_method_id,
                           brand=str(found["brand"])[:30], last4=str(found["last4"])[-4:],
                           exp_month=int(found["exp_month"]), exp_year=int(found["exp_year"]),
                           card_country=found["card"].country if found["card"] else None,
                           card_fingerprint=found["card"].fingerprint if found["card"] else None)
    savepoint = db.session.begin_nested()
    try:
        db.session.add(method)
        db.session.flush()
    except IntegrityError:  # the same card saved by a concurrent request
        savepoint.rollback()
        return db.session.get(PaymentMethod, call.id)
    savepoint.commit()
    audit.record(call.actor, "payment_method.save", "payment_method", method.id,
                 after={"brand": method.brand, "last4": method.last4,
                        "expiry": f"{method.exp_month:02d}/{method.exp_year}"})
    db.session.flush()
    return method


def list_methods(user_id, *, cursor: str | None = None,
                 limit: int = 50) -> tuple[list[PaymentMethod], str | None]:
    """The user's saved cards, newest first; removed ones are not listed."""
    stmt = select(PaymentMethod).where(PaymentMethod.user_id == as_uuid(user_id),
                                       PaymentMethod.detached_at.is_(None))
    return keyset.page(stmt, PaymentMethod, cursor=cursor, limit=limit)


def listed_for(user_id) -> list[PaymentMethod]:
    """Every card the user saved, removed ones too (the back office shows both)."""
    return list(db.session.scalars(select(PaymentMethod).where(
        PaymentMethod.user_id == as_uuid(user_id))
        .order_by(PaymentMethod.created_at.desc(), PaymentMethod.id.desc())))


def _own(method_id, actor: Actor) -> PaymentMethod:
    ident = as_uuid(method_id)
    method = db.session.get(PaymentMethod, ident) if ident else None
    if method is None or method.user_id != actor.customer_scope or method.detached_at:
        raise NotFound("Payment method not found.")
    return method


@dataclass(frozen=True)
class RemoveCall:
    id: uuid.UUID
    gateway_payment_method_id: str
    actor: Actor


def open_remove(method_id, actor: Actor) -> RemoveCall:
    """What removing the customer's own saved card needs (transaction 1); somebody
    else's, or one removed already, is not found."""
    method = _own(method_id, actor)
    _stripe()
    return RemoveCall(method.id, method.gateway_payment_method_id, actor)


def remove(call: RemoveCall) -> PaymentMethod:
    """Detach the card at Stripe (no transaction open), then mark it removed."""
    _stripe().detach_payment_method(call.gateway_payment_method_id, call.id)
    method = db.session.scalars(select(PaymentMethod).where(PaymentMethod.id == call.id)
                                .with_for_update()
                                .execution_options(populate_existing=True)).one()
    if method.detached_at is None:
        method.detached_at = utcnow()
        audit.record(call.actor, "payment_method.remove", "payment_method", method.id,
                     before={"last4": method.last4}, after={"detached": True})
        db.session.flush()
    return method


# -- charging ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Chargeable:
    """A saved card as a payment charges it."""
    id: uuid.UUID
    gateway_payment_method_id: str
    customer: str  # the gateway's customer it is attached to
    # What Stripe told of it when it was saved (None: saved before it was kept).
    card: Card | None = None

    def off_session(self, actor: Actor) -> bool:
        # The customer paying in the app can pass 3-D Secure; anyone else charging their
        # card (a partner) cannot, and says so to Stripe.
        return actor.customer_scope is None


def _expired(method: PaymentMethod, now: datetime | None = None) -> bool:
    now = now or datetime.now(timezone.utc)
    return (method.exp_year, method.exp_month) < (now.year, now.month)


def chargeable(method_id, *, customer_id, actor: Actor) -> Chargeable:
    """The saved card a payment of ``customer_id``'s may charge. Somebody else's is not
    found for a customer; for a partner it is the wrong customer's. Refused (nothing
    charged) when removed or expired."""
    ident = as_uuid(method_id)
    method = db.session.get(PaymentMethod, ident) if ident else None
    if method is None or actor.customer_scope not in (None, method.user_id):
        raise NotFound("Payment method not found.",
                       errors={"payment_method_id": ["No such saved card."]})
    if method.user_id != customer_id:
        raise InvalidInput("This saved card belongs to another customer.",
                           errors={"payment_method_id": ["Not the payer's card."]})
    if method.detached_at is not None:
        raise InvalidInput("This saved card was removed; it cannot be charged.",
                           errors={"payment_method_id": ["Removed."]})
    if _expired(method):
        raise InvalidInput("This saved card has expired.",
                           errors={"payment_method_id": [
                               f"Expired {method.exp_month:02d}/{method.exp_year}."]})
    customer = _customer_id(method.user_id)
    if customer is None:  # a saved card always has its customer; the database may not
        raise InvalidInput("This saved card has no customer at the gateway.",
                           errors={"payment_method_id": ["Save it again."]})
    return Chargeable(method.id, method.gateway_payment_method_id, customer, _card(method))


def _card(method: PaymentMethod) -> Card | None:
    if method.card_country is None and method.card_fingerprint is None:
        return None
    return Card(method.card_country, method.card_fingerprint)


def remember_card(method_id, card: Card | None) -> None:
    """Keep what Stripe told at a charge of a card saved before it was kept."""
    method = db.session.get(PaymentMethod, method_id) if method_id else None
    if method is not None and card is not None and method.card_fingerprint is None:
        method.card_country, method.card_fingerprint = card.country, card.fingerprint
        db.session.flush()


def for_charge(method_id, customer_id) -> Chargeable | None:
    """The saved card an earlier attempt of a payment charged (taken up again as it was)."""
    if method_id is None:
        return None
    method = db.session.get(PaymentMethod, method_id)
    return Chargeable(method.id, method.gateway_payment_method_id,
                      _customer_id(customer_id) or "", _card(method))
