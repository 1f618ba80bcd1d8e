from enum import StrEnum

class WebhookEndpointCreateEventTypesItem(StrEnum):
    CREDIT_NOTE_ISSUED = "credit_note.issued"
    INVOICE_FINALISED = "invoice.finalised"
    INVOICE_PAID = "invoice.paid"
    INVOICE_SENT = "invoice.sent"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_PAID = "order.paid"
    ORDER_PLACED = "order.placed"
    ORDER_REFUNDED = "order.refunded"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_REFUNDED = "payment.refunded"
    PAYMENT_REQUIRES_ACTION = "payment.requires_action"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    REFUND_FAILED = "refund.failed"
    REFUND_SUCCEEDED = "refund.succeeded"

    def __str__(self) -> str:
        return str(self.value)
