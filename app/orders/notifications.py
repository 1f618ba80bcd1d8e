"""Order messages, run as event handlers (jobs)."""
from app.notifications.localise import Amount
from app.notifications.service import Recipient, notify
from app.orders import numbering, service
from app.users import service as users


def send_confirmation(evt) -> None:
    order = service.get(evt.payload["order_id"])
    customer = users.get(order.customer_id)
    notify(Recipient.for_user(customer), "order_confirmation", {
        "name": customer.full_name or customer.email,
        "order_label": numbering.label(order.number), "order_id": str(order.id),
        "lines": [{"quantity": line.quantity, "name": line.name, "sku": line.sku,
                   "total": Amount(line.line_total_amount, order.currency)}
                  for line in order.lines],
        "total": Amount(order.total_amount, order.currency),
        "tax": Amount(order.tax_amount, order.currency),
    }, channels=("email", "sms"), dedupe_key=f"{evt.id}:order-confirmation")


def send_review_outcome(order_id, outcome: str, *, dedupe_key: str) -> None:
    """The fraud review's decision, told to the customer (approved, rejected_fraud or
    rejected_other; the reason stays internal). For the fraud checks to call from their
    order.review_decided handler."""
    order = service.get(order_id)
    customer = users.get(order.customer_id)
    notify(Recipient.for_user(customer), "fraud_review_outcome", {
        "name": customer.full_name or customer.email,
        "order_label": numbering.label(order.number), "outcome": outcome,
    }, dedupe_key=dedupe_key)


def send_review_decided(evt) -> None:
    """order.review_decided: an approval is told here; a rejection cancels the order,
    which publishes order.cancelled_fraud, told below (one message, not two)."""
    if evt.payload.get("outcome") == "approved":
        send_review_outcome(evt.payload["order_id"], "approved",
                            dedupe_key=f"{evt.id}:review-outcome")


def send_cancelled_fraud(evt) -> None:
    """order.cancelled_fraud: blocked by screening or rejected after review; the customer
    learns the order is cancelled and refunded, never why."""
    send_review_outcome(evt.payload["order_id"], "rejected",
                        dedupe_key=f"{evt.id}:review-outcome")
