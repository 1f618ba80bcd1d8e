from enum import StrEnum

class TaxCategory(StrEnum):
    EXEMPT = "exempt"
    REDUCED = "reduced"
    STANDARD = "standard"
    ZERO = "zero"

    def __str__(self) -> str:
        return str(self.value)
