"""Which handlers run for which event, and on which queue. Business wiring lives here,
so the API, admin and jobs never decide what follows an event."""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Handler:
    name: str  # stable id, part of the idempotency key
    path: str  # "module:function", called with the OutboxEvent
    queue: str = "default"


HANDLERS: dict[str, list[Handler]] = {
    "user.registered": [
        Handler("email.verify", "app.users.notifications:send_verification_email", "email"),
    ],
    "user.verification_requested": [
        Handler("email.verify", "app.users.notifications:send_verification_email", "email"),
    ],
    "user.registration_attempted": [
        Handler("email.registration_attempt",
                "app.users.notifications:send_registration_attempt_email", "email"),
    ],
    "user.password_reset_requested": [
        Handler("email.reset", "app.users.notifications:send_password_reset_email", "email"),
    ],
    "staff.mfa_link_requested": [
        Handler("email.mfa_link", "app.staff.notifications:send_mfa_link", "email"),
    ],
    "order.placed": [
        Handler("email.order_confirmation", "app.orders.notifications:send_confirmation", "email"),
        Handler("fraud.screen", "app.fraud.hooks:screen_order", "default"),
    ],
    "order.review_decided": [
        Handler("email.review_outcome", "app.orders.notifications:send_review_decided", "email"),
    ],
    "order.cancelled": [
        Handler("payments.cancel_open", "app.payments.handlers:cancel_open", "default"),
    ],
    "order.cancelled_fraud": [
        Handler("email.cancelled_fraud", "app.orders.notifications:send_cancelled_fraud",
                "email"),
    ],
    "order.paid": [
        Handler("invoice.from_order", "app.invoices.automation:invoice_paid_order", "default"),
    ],
    "invoice.finalised": [
        Handler("pdf.render", "app.invoices.documents:generate_pdf", "pdf"),
    ],
    "invoice.sent": [
        Handler("email.invoice", "app.invoices.notifications:send_invoice", "email"),
    ],
    "invoice.reminder_due": [
        Handler("email.reminder", "app.invoices.notifications:send_reminder", "email"),
    ],
    "gateway_event.received": [
        Handler("payments.gateway_event", "app.payments.handlers:process_gateway_event", "default"),
    ],
    "payment.succeeded": [
        Handler("email.receipt", "app.invoices.notifications:send_receipt", "email"),
        Handler("payments.refund_unapplied", "app.payments.handlers:refund_unapplied",
                "default"),
    ],
    "payment.failed": [
        Handler("email.payment_failed", "app.payments.notifications:send_failed", "email"),
        Handler("fraud.count_failed", "app.fraud.hooks:count_failed_payment", "default"),
    ],
    "refund.succeeded": [
        Handler("email.refund_issued", "app.payments.notifications:send_refunded", "email"),
    ],
    "invoice_export.requested": [
        Handler("export.zip", "app.invoices.exports:build_zip_job", "exports"),
    ],
    "webhook_endpoint.disabled": [
        Handler("email.webhook_disabled", "app.webhooks.notifications:send_disabled", "email"),
    ],
}

# Every outbox event partners hear of (app.webhooks.types) is fanned out to their endpoints.
WEBHOOK_FAN_OUT = Handler("webhooks.fan_out", "app.webhooks.handlers:fan_out", "webhooks")

QUEUES = ("default", "email", "sms", "pdf", "exports", "webhooks")


def handlers_for(event_type: str) -> list[Handler]:
    from app.webhooks.types import SOURCES

    found = HANDLERS.get(event_type, [])
    return [*found, WEBHOOK_FAN_OUT] if event_type in SOURCES else found


def find(event_type: str, name: str) -> Handler:
    for handler in handlers_for(event_type):
        if handler.name == name:
            return handler
    raise LookupError(f"no handler {name!r} for event {event_type!r}")


def resolve(handler: Handler):
    module, _, func = handler.path.partition(":")
    return getattr(importlib.import_module(module), func)
