"""Invoice emails (PDF attached), run as event handlers (jobs)."""
from app.invoices import documents, service
from app.notifications import email
from app.orders.money import format_amount


def _send(evt, subject: str, opening: str, key: str) -> None:
    invoice = service.get(evt.payload["invoice_id"])
    to = (invoice.buyer or {}).get("email")
    if not to:
        return
    title = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    bank = (invoice.seller or {}).get("bank") or {}
    email.send(
        to, subject.format(title=title, number=invoice.number),
        f"Hello {invoice.buyer.get('name')},\n\n{opening}\n\n"
        f"{title} {invoice.number}: {format_amount(invoice.total_amount, invoice.currency)}, "
        f"due {invoice.due_date.isoformat() if invoice.due_date else '-'}.\n"
        f"Pay to IBAN {bank.get('iban', '-')} (BIC {bank.get('bic', '-')}), "
        f"reference {invoice.number}.\n",
        attachments=[(f"{invoice.number}.pdf", "application/pdf", documents.pdf_bytes(invoice))],
        idempotency_key=f"{evt.id}:{key}",
    )


def send_invoice(evt) -> None:
    _send(evt, "{title} {number}", "Please find your document attached.", "invoice")


def send_reminder(evt) -> None:
    _send(evt, "Reminder: {title} {number} is overdue",
          "Our records show this invoice is past its due date. If you have paid, thank you "
          "and please ignore this message.", "reminder")
