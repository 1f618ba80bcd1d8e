"""Order emails, run as event handlers (jobs)."""
from app.notifications import email
from app.orders import numbering, service
from app.core.money import format_amount
from app.users import service as users


def send_confirmation(evt) -> None:
    order = service.get(evt.payload["order_id"])
    customer = users.get(order.customer_id)
    lines = "\n".join(
        f"  {line.quantity} x {line.name} ({line.sku})  "
        f"{format_amount(line.line_total_amount, order.currency)}" for line in order.lines)
    email.send(
        customer.email,
        f"Your order {numbering.label(order.number)} is confirmed",
        f"Hello {customer.full_name or customer.email},\n\nThank you for your order.\n\n{lines}\n\n"
        f"Total: {format_amount(order.total_amount, order.currency)}, of which tax "
        f"{format_amount(order.tax_amount, order.currency)}\n",
        idempotency_key=f"{evt.id}:order-confirmation",
    )
