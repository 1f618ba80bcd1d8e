from enum import StrEnum

class ListWebhookEventsType(StrEnum):
    CREDIT_NOTE_ISSUED = "credit_note.issued"
    INVOICE_FINALISED = "invoice.finalised"
    INVOICE_PAID = "invoice.paid"
    INVOICE_SENT = "invoice.sent"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_PAID = "order.paid"
    ORDER_PLACED = "order.placed"

    def __str__(self) -> str:
        return str(self.value)
