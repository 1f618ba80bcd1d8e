from enum import StrEnum

class InvoiceStatus(StrEnum):
    CANCELLED = "cancelled"
    CREDITED = "credited"
    DRAFT = "draft"
    FINALISED = "finalised"
    PAID = "paid"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
