"""Payment emails, run as event handlers (jobs). The receipt is the paid invoice
(app.invoices.notifications.send_receipt)."""
from app.core.money import format_amount
from app.invoices import service as invoices
from app.notifications import email
from app.payments import service
from app.users import service as users


def send_failed(evt) -> None:
    """The card payment failed: the customer is told why, and that the order is still open."""
    payment = service.get(evt.payload["payment_id"])
    if payment.status != "failed":
        return  # it succeeded since (another card on the same intent): nothing to tell
    customer = users.get(payment.customer_id)
    reason = payment.failure_message or payment.failure_code or "the card was not accepted"
    if payment.order_id is not None:
        what, open_ = f"order {str(payment.order_id)[:8]}", "Your order is still open"
    else:
        what = f"invoice {invoices.get(payment.invoice_id).number}"
        open_ = "The invoice is still open"
    email.send(
        customer.email,
        f"Your payment for {what} did not go through",
        f"Hello {customer.full_name or customer.email},\n\n"
        f"Your payment of {format_amount(payment.amount, payment.currency)} failed: {reason}\n"
        f"{open_}: you can pay it again"
        f"{' with another card' if payment.method == 'card' else ''}.\n",
        idempotency_key=f"{evt.id}:payment-failed",
    )
