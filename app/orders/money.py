"""Displaying integer minor units (never floats)."""
from decimal import Decimal

# ISO 4217 exponents that differ from 2.
_EXPONENT = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}


def exponent(currency: str) -> int:
    return _EXPONENT.get(currency, 2)


def decimal_amount(amount: int, currency: str) -> str:
    """Minor units as a plain decimal string: 123456 EUR -> '1234.56'."""
    places = exponent(currency)
    return f"{Decimal(amount).scaleb(-places):.{places}f}"


def format_amount(amount: int, currency: str) -> str:
    places = exponent(currency)
    value = Decimal(amount).scaleb(-places)
    return f"{value:,.{places}f} {currency}"
