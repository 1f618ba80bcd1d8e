"""LIKE patterns from what a person typed: the text's own % and _ match themselves."""
from __future__ import annotations

ESCAPE = "\\"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


def contains(text: str) -> str:
    return f"%{escape_like(text)}%"


def starts_with(text: str) -> str:
    return f"{escape_like(text)}%"
