"""Event handlers of payments (named in app.events.registry)."""
from app.core import uow
from app.core.actor import Actor
from app.payments import cancellation, refunds, unapplied, webhooks


def process_gateway_event(evt) -> None:
    webhooks.process(evt.payload["gateway_event_id"])


def refund_unapplied(evt) -> None:
    """payment.succeeded: money its order did not take goes back. The refund is committed
    before the gateway is asked; an outage leaves it pending and the job's retry takes it
    up under the same id (the gateway's idempotency key), so it is made once."""
    call = unapplied.open_refund(evt.payload["payment_id"])
    if call is None:
        return
    uow.commit()
    refunds.execute(call, resumable=True)


def cancel_open(evt) -> None:
    """order.cancelled: its payments still open at a gateway are cancelled there."""
    cancellation.cancel_all(cancellation.open_of_order(evt.payload["order_id"],
                                                       Actor.system("payments")))
