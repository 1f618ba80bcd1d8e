from enum import StrEnum

class PdfStatus(StrEnum):
    FAILED = "failed"
    NONE = "none"
    PENDING = "pending"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
