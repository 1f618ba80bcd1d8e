"""Displaying integer minor units (never floats)."""
from decimal import Decimal

# ISO 4217 exponents that differ from 2.
_EXPONENT = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}


def format_amount(amount: int, currency: str) -> str:
    exponent = _EXPONENT.get(currency, 2)
    value = Decimal(amount).scaleb(-exponent)
    return f"{value:,.{exponent}f} {currency}"
