from enum import StrEnum

class TaxTreatment(StrEnum):
    EXEMPT = "exempt"
    REVERSE_CHARGE = "reverse_charge"
    TAXABLE = "taxable"
    ZERO_RATED = "zero_rated"

    def __str__(self) -> str:
        return str(self.value)
