from enum import StrEnum

class OrderStatus(StrEnum):
    CANCELLED = "cancelled"
    FULFILLED = "fulfilled"
    PAID = "paid"
    PENDING_PAYMENT = "pending_payment"
    REFUNDED = "refunded"

    def __str__(self) -> str:
        return str(self.value)
