"""Event handlers of payments (named in app.events.registry)."""
from app.payments import webhooks


def process_gateway_event(evt) -> None:
    webhooks.process(evt.payload["gateway_event_id"])
