"""Payment messages, run as event handlers (jobs). The receipt is the paid invoice
(app.invoices.notifications.send_receipt)."""
from app.core.types import as_uuid
from app.invoices import service as invoices
from app.notifications.localise import Amount
from app.notifications.service import Recipient, notify
from app.orders import numbering, service as orders
from app.payments import service
from app.users import service as users


def _paid_for(payment) -> dict:
    """What the payment was for, as the messages name it: an order, or an invoice without
    one."""
    if payment.order_id is not None:
        return {"order_label": numbering.label(orders.get(payment.order_id).number),
                "invoice_number": None}
    return {"order_label": None, "invoice_number": invoices.get(payment.invoice_id).number}


def send_failed(evt) -> None:
    """The payment failed: the customer is told why, and that the order (or invoice) is
    still open."""
    payment = service.get(evt.payload["payment_id"])
    if payment.status != "failed":
        return  # it succeeded since (another card on the same intent): nothing to tell
    customer = users.get(payment.customer_id)
    notify(Recipient.for_user(customer), "payment_failed", {
        "name": customer.full_name or customer.email, **_paid_for(payment),
        "amount": Amount(payment.amount, payment.currency),
        # A known code is worded by the template in the customer's language; the
        # gateway's own message (English) is the fallback for any other.
        "reason_code": payment.failure_code, "reason": payment.failure_message,
        "card": payment.method == "card",
    }, channels=("email", "sms"), dedupe_key=f"{evt.id}:payment-failed")


def send_refunded(evt) -> None:
    """A refund reached the gateway's books: the customer is told the amount."""
    from app.payments.models import Refund
    from app.extensions import db

    refund = db.session.get(Refund, as_uuid(evt.payload["refund_id"]))
    if refund is None or refund.status != "succeeded":
        return
    payment = refund.payment
    customer = users.get(payment.customer_id)
    notify(Recipient.for_user(customer, sms=False), "refund_issued", {
        "name": customer.full_name or customer.email, **_paid_for(payment),
        "amount": Amount(refund.amount, refund.currency),
    }, dedupe_key=f"{evt.id}:refund-issued")
