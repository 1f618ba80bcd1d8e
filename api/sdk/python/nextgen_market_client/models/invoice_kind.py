from enum import StrEnum

class InvoiceKind(StrEnum):
    CREDIT_NOTE = "credit_note"
    INVOICE = "invoice"

    def __str__(self) -> str:
        return str(self.value)
