"""Invoice messages (PDF attached), run as event handlers (jobs). What the email asks
of the buyer follows the document: an open invoice asks for what is due, a paid one
says it is paid, a credit note names the invoice it corrects and asks for nothing."""
from app.invoices import rules, service
from app.notifications import attachments
from app.notifications.localise import Amount
from app.notifications.service import Recipient, notify
from app.orders import numbering


def document(invoice) -> dict:
    """The template's view of an invoice or credit note (_statement.jinja); amounts and
    dates as values, written in the recipient's language when the message is rendered."""
    bank = (invoice.seller or {}).get("bank") or {}
    return {
        # The template names the kind in the recipient's language.
        "kind": invoice.kind, "number": invoice.number,
        # As its PDF states it: a credit note's amount positive (rules.shown_amount).
        "amount": Amount(rules.shown_amount(invoice.kind, invoice.total_amount),
                         invoice.currency),
        "due": (Amount(invoice.amount_due, invoice.currency)
                if invoice.kind != "credit_note" and invoice.amount_due else None),
        "due_date": invoice.due_date or "-",
        "iban": bank.get("iban", "-"), "bic": bank.get("bic", "-"),
        "paid": invoice.status == "paid",
        **_corrects(invoice),
    }


def _corrects(invoice) -> dict:
    """The invoice a credit note corrects: its number and issue date (the template says
    "of" in the recipient's language)."""
    original = invoice.credit_note_for if invoice.kind == "credit_note" else None
    if original is None:
        return {"corrects": None, "corrects_date": None}
    return {"corrects": original.number,
            "corrects_date": original.issue_date or "-"}


def _recipient(invoice) -> Recipient | None:
    from app.users.models import User
    from app.extensions import db

    to = (invoice.buyer or {}).get("email")
    if not to:
        return None
    user = db.session.get(User, invoice.customer_id) if invoice.customer_id else None
    return Recipient(email=to, name=(invoice.buyer or {}).get("name") or "",
                     locale=user.locale if user else None,
                     user_id=user.id if user else None,
                     phone=user.phone if user is not None and user.sms_allowed else None)


def _send(evt, template: str, key: str, sms: bool = False) -> None:
    invoice = service.get(evt.payload["invoice_id"])
    recipient = _recipient(invoice)
    if recipient is None:
        return
    notify(recipient, template, {"name": recipient.name, "doc": document(invoice)},
           dedupe_key=f"{evt.id}:{key}", attachments=[attachments.invoice_pdf(invoice.id)])
    if sms and recipient.phone and invoice.order_id:
        _sms_link(evt, invoice, recipient, key)


def _sms_link(evt, invoice, recipient: Recipient, key: str) -> None:
    from flask import current_app

    from app.orders import service as orders
    from app.users import tokens

    order = orders.get(invoice.order_id) if invoice.order_id is not None else None
    # A signed link that opens the PDF without signing in (a phone's browser has no API
    # token): this app's own page, whether or not a web app is configured.
    token = tokens.sign("invoice-pdf", {"invoice_id": str(invoice.id)})
    notify(recipient, "invoice_link", {
        "kind": invoice.kind, "number": invoice.number,
        "order_label": numbering.label(order.number) if order is not None else None,
        "link": f"{current_app.config['PUBLIC_BASE_URL']}/documents/invoice?token={token}",
    }, channels=("sms",), dedupe_key=f"{evt.id}:{key}-link")


INVOICE_LINK_MAX_AGE = 30 * 24 * 3600


def invoice_from_link(token: str):
    """The invoice a signed SMS link names (InvalidInput when forged or expired)."""
    from app.users import tokens

    return service.get(tokens.unsign("invoice-pdf", token, INVOICE_LINK_MAX_AGE)["invoice_id"])


def send_invoice(evt) -> None:
    invoice = service.get(evt.payload["invoice_id"])
    template = "credit_note_issued" if invoice.kind == "credit_note" else "invoice_sent"
    _send(evt, template, "invoice", sms=invoice.kind != "credit_note")


def send_receipt(evt) -> None:
    """A card payment succeeded: its paid invoice, as the receipt, and (opted in) the SMS
    link to it. An order's invoice is issued paid, never "sent", so this is the moment
    its customer hears of it."""
    if evt.payload.get("invoice_id"):
        _send(evt, "payment_receipt", "receipt", sms=True)


def send_reminder(evt) -> None:
    invoice = service.get(evt.payload["invoice_id"])
    if invoice.kind != "invoice" or invoice.amount_due == 0:
        return  # paid or credited since the reminder was due: nothing to remind of
    _send(evt, "overdue_reminder", "reminder")
