"""The public event types partners subscribe to, and the internal outbox events they
come from. Adding one is one line here."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class PublicType:
    name: str  # what partners see and subscribe to
    source: str  # the outbox event it is made from
    id_key: str  # the outbox payload's key holding the object's id
    render: str  # "module:function": object id -> the object as the API returns it
    scope: str  # the API key scope that may see these objects
    when: Callable[[dict], bool] | None = None  # on the outbox payload; None: always


ORDER = "app.webhooks.objects:order"
INVOICE = "app.webhooks.objects:invoice"
PAYMENT = "app.webhooks.objects:payment"
REFUND = "app.webhooks.objects:refund"


def _invoice_only(payload: dict) -> bool:
    # Credit notes are finalised too; partners hear of them as credit_note.issued.
    return payload.get("kind", "invoice") == "invoice"


PUBLIC_TYPES: tuple[PublicType, ...] = (
    PublicType("order.placed", "order.placed", "order_id", ORDER, "orders:read"),
    PublicType("order.paid", "order.paid", "order_id", ORDER, "orders:read"),
    PublicType("order.cancelled", "order.cancelled", "order_id", ORDER, "orders:read"),
    PublicType("invoice.finalised", "invoice.finalised", "invoice_id", INVOICE,
               "invoices:read", _invoice_only),
    PublicType("invoice.sent", "invoice.sent", "invoice_id", INVOICE, "invoices:read"),
    PublicType("invoice.paid", "invoice.paid", "invoice_id", INVOICE, "invoices:read"),
    PublicType("credit_note.issued", "credit_note.issued", "invoice_id", INVOICE,
               "invoices:read"),
    PublicType("order.refunded", "order.refunded", "order_id", ORDER, "orders:read"),
    PublicType("payment.requires_action", "payment.requires_action", "payment_id", PAYMENT,
               "payments:read"),
    PublicType("payment.succeeded", "payment.succeeded", "payment_id", PAYMENT,
               "payments:read"),
    PublicType("payment.failed", "payment.failed", "payment_id", PAYMENT, "payments:read"),
    PublicType("payment.refunded", "payment.refunded", "payment_id", PAYMENT,
               "payments:read"),
    PublicType("refund.succeeded", "refund.succeeded", "refund_id", REFUND, "payments:read"),
    PublicType("refund.failed", "refund.failed", "refund_id", REFUND, "payments:read"),
)

# Sent only on request (a test delivery), never subscribed to.
TEST_TYPE = "webhook.test"

NAMES = tuple(t.name for t in PUBLIC_TYPES)
SOURCES = frozenset(t.source for t in PUBLIC_TYPES)


def for_source(source: str, payload: dict) -> list[PublicType]:
    return [t for t in PUBLIC_TYPES
            if t.source == source and (t.when is None or t.when(payload))]


def by_name(name: str) -> PublicType | None:
    return next((t for t in PUBLIC_TYPES if t.name == name), None)


def render(public: PublicType, object_id: str) -> dict:
    module, _, func = public.render.partition(":")
    return getattr(importlib.import_module(module), func)(object_id)
