"""Invoice emails (PDF attached), run as event handlers (jobs). What the email asks
of the buyer follows the document: an open invoice asks for what is due, a paid one
says it is paid, a credit note names the invoice it corrects and asks for nothing."""
from app.core.money import format_amount
from app.invoices import documents, service
from app.notifications import email


def _statement(invoice, title: str) -> str:
    amount = format_amount(abs(invoice.total_amount), invoice.currency)
    if invoice.kind == "credit_note":
        corrects = invoice.corrects()
        return (f"{title} {invoice.number}: {amount} credited"
                + (f", correcting invoice {corrects}" if corrects else "") + ".\n"
                "No payment is due: the amount will be refunded or set off against open "
                "invoices.\n")
    if invoice.amount_due == 0:
        return (f"{title} {invoice.number}: {amount}. Nothing is due"
                + (" (paid, thank you)." if invoice.status == "paid" else ".") + "\n")
    bank = (invoice.seller or {}).get("bank") or {}
    due = format_amount(invoice.amount_due, invoice.currency)
    return (f"{title} {invoice.number}: {amount}; {due} due by "
            f"{invoice.due_date.isoformat() if invoice.due_date else '-'}.\n"
            f"Pay to IBAN {bank.get('iban', '-')} (BIC {bank.get('bic', '-')}), "
            f"reference {invoice.number}.\n")


def _send(evt, subject: str, opening: str, key: str) -> None:
    invoice = service.get(evt.payload["invoice_id"])
    to = (invoice.buyer or {}).get("email")
    if not to:
        return
    title = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    email.send(
        to, subject.format(title=title, number=invoice.number),
        f"Hello {invoice.buyer.get('name')},\n\n{opening}\n\n{_statement(invoice, title)}",
        attachments=[(f"{invoice.number}.pdf", "application/pdf", documents.pdf_bytes(invoice))],
        idempotency_key=f"{evt.id}:{key}",
    )


def send_invoice(evt) -> None:
    _send(evt, "{title} {number}", "Please find your document attached.", "invoice")


def send_receipt(evt) -> None:
    """A card payment succeeded: its paid invoice, as the receipt."""
    if evt.payload.get("invoice_id"):
        _send(evt, "Receipt: {title} {number}", "Thank you for your payment. Your invoice, "
              "paid, is attached.", "receipt")


def send_reminder(evt) -> None:
    invoice = service.get(evt.payload["invoice_id"])
    if invoice.kind != "invoice" or invoice.amount_due == 0:
        return  # paid or credited since the reminder was due: nothing to remind of
    _send(evt, "Reminder: {title} {number} is overdue",
          "Our records show this invoice is past its due date. If you have paid, thank you "
          "and please ignore this message.", "reminder")
