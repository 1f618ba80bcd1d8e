from enum import StrEnum

class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    PAYPAL = "paypal"
    WALLET = "wallet"

    def __str__(self) -> str:
        return str(self.value)
