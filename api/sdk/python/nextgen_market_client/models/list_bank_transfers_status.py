from enum import StrEnum

class ListBankTransfersStatus(StrEnum):
    APPLIED = "applied"
    HELD = "held"
    RETURNED = "returned"

    def __str__(self) -> str:
        return str(self.value)
