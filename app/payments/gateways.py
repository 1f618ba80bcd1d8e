"""The gateway contract: what app.payments asks of a payment gateway, and which gateway
serves which payment method. Each gateway is one module (``stripe_gateway``,
``paypal_gateway``) that fits ``Gateway`` and is the only place its SDK is imported; the
services see plain ``Outcome``/``Remote``/``EventEffect`` values and domain errors. A
third gateway is one more module and one line in ``_MODULES``.

Every call that moves money carries an idempotency key derived from our own row's id
(``ngm-payment-<id>``, ``ngm-refund-<id>``, ``ngm-capture-<id>``, ``ngm-cancel-<id>``), so repeating it (a
retry, a takeover after a crash) never moves money twice.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Protocol

from flask import current_app

from app.core.errors import InvalidInput
from app.payments.errors import GatewayNotConfigured


@dataclass(frozen=True)
class Outcome:
    """What the gateway said about a payment or refund it holds."""
    gateway_id: str | None
    status: str  # ours: pending | requires_action | succeeded | failed | cancelled
    client_secret: str | None = None
    # What the buyer or app must do next (Stripe's next_action, PayPal's approval link).
    next_action: dict | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    # The card charged, when the answer names it: ``Card`` (country, fingerprint).
    card: "Card | None" = None


@dataclass(frozen=True)
class Card:
    """What fraud screening reads of a card: the issuing country (ISO 3166-1 alpha-2)
    and the gateway's fingerprint (one per card number, whoever holds the card)."""
    country: str | None
    fingerprint: str | None

    @classmethod
    def of(cls, details: dict | None) -> "Card | None":
        """From a gateway's card details (Stripe: ``PaymentMethod.card``,
        ``Charge.payment_method_details.card``); None when they name neither."""
        details = details or {}
        country = str(details.get("country") or "").strip().upper()[:2] or None
        fingerprint = str(details.get("fingerprint") or "").strip()[:64] or None
        return cls(country, fingerprint) if country or fingerprint else None


@dataclass(frozen=True)
class EventEffect:
    """What a verified webhook event means: the payment (``kind`` payment) or refund
    (``kind`` refund) it is about, found by our id or the gateway's, and what it says.
    ``kind`` None: a type we do not act on (acknowledged and ignored)."""
    kind: str | None
    our_id: str | None = None
    gateway_id: str | None = None
    target: str | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Remote:
    """A payment or refund as the gateway lists it, for reconciliation."""
    kind: str  # payment | refund
    gateway_id: str
    our_id: str | None  # our payment or refund id, from the metadata we sent
    amount: int | None  # minor units
    currency: str | None  # upper case ISO 4217
    status: str  # ours (see Outcome.status)
    outcome: Outcome
    payment_gateway_id: str | None = None  # a refund's payment at the gateway


class Gateway(Protocol):
    """The module contract (a module fits it structurally)."""
    NAME: str
    SETTINGS: tuple[str, ...]  # what must be configured to take payments

    def require(self, *settings: str) -> None:
        """GatewayNotConfigured (503) naming the missing ``settings``."""

    def create_payment(self, charge) -> Outcome:
        """Create (once, keyed by ``charge.id``) the gateway's payment for a charge."""

    def capture(self, payment_id, gateway_payment_id: str) -> Outcome:
        """Collect a payment the buyer approved (a gateway without such a step refuses)."""

    def cancel(self, payment_id, gateway_payment_id: str) -> Outcome:
        """Stop an open payment so it can never collect money; a payment that collected
        meanwhile answers with that (``succeeded``), never ``cancelled``."""

    def card_details(self, gateway_payment_method_id: str) -> Card | None:
        """The card behind a payment method the app sent (None: not a card, unknown)."""

    def card_of_payment(self, gateway_payment_id: str) -> Card | None:
        """The card a payment at the gateway was attempted with (None: none, unknown)."""

    def create_refund(self, refund, gateway_payment_id: str) -> Outcome:
        """Refund ``refund.amount`` of the payment (once, keyed by ``refund.id``)."""

    def parse_webhook(self, payload: bytes, headers: Mapping[str, str]) -> dict:
        """The verified event (with ``id`` and ``type``), or BadSignature / InvalidInput."""

    def event_effect(self, event: dict) -> EventEffect:
        """What a stored event says about which payment or refund."""

    def recent(self, since: datetime, open_payments: list) -> list[Remote]:
        """Payments and refunds the gateway holds since ``since`` (or, for a gateway that
        cannot list, what it says of ``open_payments``, our (id, gateway id) pairs)."""


_MODULES = {"stripe": "app.payments.stripe_gateway", "paypal": "app.payments.paypal_gateway"}
# Which gateway takes which payment method (bank transfers take none).
FOR_METHOD = {"card": "stripe", "paypal": "paypal"}


def get(name: str) -> Gateway:
    if name not in _MODULES:
        raise LookupError(f"no payment gateway {name!r}")
    return importlib.import_module(_MODULES[name])


def names() -> tuple[str, ...]:
    return tuple(_MODULES)


def for_method(method: str) -> Gateway:
    if method not in FOR_METHOD:
        raise InvalidInput(f"Payments by {method.replace('_', ' ')} are not taken through a "
                           "gateway here.", errors={"method": list(FOR_METHOD)})
    return get(FOR_METHOD[method])


def require(what: str, *settings: str) -> None:
    """GatewayNotConfigured (503) naming every missing setting of ``what``."""
    missing = [name for name in settings if not current_app.config.get(name)]
    if missing:
        raise GatewayNotConfigured(f"{what} are not configured: set {' and '.join(missing)}.",
                                   errors={"configuration": missing})


def configured(gateway: Gateway) -> bool:
    return all(current_app.config.get(name) for name in gateway.SETTINGS)
