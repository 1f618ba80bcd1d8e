"""The back office's amount parser (admin.views.money): one rule for forms, CSV import
and list filters. Refuses rather than guesses."""
from __future__ import annotations

from decimal import Decimal

import pytest

from admin.views.money import NotAnAmount, exact_minor, parse_decimal, to_minor


@pytest.mark.parametrize("text, value", [
    ("19.99", "19.99"), ("1500", "1500"), ("0.5", "0.5"), (".5", "0.5"), ("1.", "1"),
    (" 12.30 ", "12.30"), ("-5.25", "-5.25"), ("9" * 15, "9" * 15),
    ("0" * 40 + "1", "1"),  # leading zeros do not count against the bound
])
def test_plain_decimals(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", [
    "1,50", "1,234.50", "1 000", "1_000", "Infinity", "-Infinity", "inf", "NaN", "sNaN",
    "1e3", "1E999999", "١٢", "１２", "+5", "--5", "", " ", "abc", "1.2.3", "0x10",
    "9" * 16, "0." + "1" * 13,
])
def test_refused(text):
    with pytest.raises(NotAnAmount):
        parse_decimal(text)


def test_comma_message_says_why():
    with pytest.raises(NotAnAmount, match="point for decimals"):
        parse_decimal("1,50")


def test_largest_amount_fits_a_64_bit_column():
    largest = "9" * 15 + ".999"
    assert exact_minor(parse_decimal(largest), "BHD") < 2**63
    assert to_minor("9" * 15 + ".99", "EUR") == int("9" * 17)


def test_exact_minor_allows_negative_and_refuses_extra_places():
    assert exact_minor(Decimal("-12.34"), "EUR") == -1234
    with pytest.raises(NotAnAmount, match="the currency"):
        exact_minor(Decimal("1.234"), "")
    with pytest.raises(NotAnAmount, match="JPY has no decimal places"):
        exact_minor(Decimal("1.5"), "JPY")
    with pytest.raises(NotAnAmount, match="negative"):
        to_minor("-1", "EUR")
