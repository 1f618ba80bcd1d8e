from enum import StrEnum

class BankTransferStatus(StrEnum):
    APPLIED = "applied"
    HELD = "held"
    RETURNED = "returned"

    def __str__(self) -> str:
        return str(self.value)
