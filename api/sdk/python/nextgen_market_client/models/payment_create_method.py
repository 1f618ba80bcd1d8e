from enum import StrEnum

class PaymentCreateMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    PAYPAL = "paypal"
    WALLET = "wallet"

    def __str__(self) -> str:
        return str(self.value)
