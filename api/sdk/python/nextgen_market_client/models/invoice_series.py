from enum import StrEnum

class InvoiceSeries(StrEnum):
    CN = "CN"
    INV = "INV"

    def __str__(self) -> str:
        return str(self.value)
