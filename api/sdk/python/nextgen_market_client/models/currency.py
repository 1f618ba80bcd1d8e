from enum import StrEnum

class Currency(StrEnum):
    AUD = "AUD"
    BHD = "BHD"
    CAD = "CAD"
    CHF = "CHF"
    DKK = "DKK"
    EUR = "EUR"
    GBP = "GBP"
    JPY = "JPY"
    KRW = "KRW"
    KWD = "KWD"
    NOK = "NOK"
    PLN = "PLN"
    SEK = "SEK"
    USD = "USD"

    def __str__(self) -> str:
        return str(self.value)
