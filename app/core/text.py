"""Text hygiene at the edge: the one rule for what a string from outside may contain.

Refused: control characters (C0, DEL, C1) other than tab, LF and CR, and lone UTF-16
surrogates. A surrogate cannot be encoded as UTF-8: once stored, every page, export or
JSON response (orjson) that renders it fails. NUL cannot be stored by PostgreSQL at all.
CR is allowed because browsers submit textarea line breaks as CRLF (HTML spec), and
pasted Windows text carries it; it is harmless in storage and output.

The API (api/parser.py) checks every request body, nested values and dict keys
included, and every query-string argument; the back office checks every form field
(admin/forms.py). Both use :func:`text_errors`.

Defence in depth: a lone surrogate stored before this rule existed (SQLite keeps JSON
columns as text with ``\ud800`` escapes; PostgreSQL refuses it) is read back as U+FFFD
by :func:`tolerant_json_loads`, the engines' JSON deserializer (app factory), so pages,
exports, PDFs and API responses render instead of failing with a 500.
"""
from __future__ import annotations

import json

import orjson
import re
from collections.abc import Mapping

MESSAGE = "Must not contain control characters or unpaired surrogates."

# Python's str holds a surrogate code point only when it is unpaired: a valid pair
# ("\ud83d\ude00" in JSON) is decoded into one code point.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def is_clean(text: str) -> bool:
    return _FORBIDDEN.search(text) is None


def printable(text: str) -> str:
    """``text`` with each forbidden character written as ``\\uXXXX``: safe to show
    (and to encode) in an error message that names a bad key."""
    return _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def text_errors(value):
    """Errors for every bad string in ``value`` (str, mapping, list or tuple, nested),
    in marshmallow's shape: ``{"address": {"name": [MESSAGE]}, "lines": {0: ...}}``;
    ``[MESSAGE]`` for a bad string itself; None when clean. A bad key is reported
    under its printable form. Callers bound the nesting depth first (api/parser.py)."""
    if isinstance(value, str):
        return None if is_clean(value) else [MESSAGE]
    if isinstance(value, Mapping):
        errors = {}
        for key, item in value.items():
            if isinstance(key, str) and not is_clean(key):
                errors[printable(key)] = [MESSAGE]
                continue
            problem = text_errors(item)
            if problem:
                errors[key] = problem
        return errors or None
    if isinstance(value, (list, tuple)):
        errors = {index: problem for index, item in enumerate(value)
                  if (problem := text_errors(item))}
        return errors or None
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A surrogate as json.dumps (ensure_ascii) escapes it, paired or not, or unescaped.
_MAY_HOLD_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]|[\ud800-\udfff]")


def displayable(value):
    """``value`` (str, or dict/list nesting them) with lone surrogates as U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {displayable(k): displayable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [displayable(v) for v in value]
    return value


def tolerant_json_loads(text):
    data = json.loads(text)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    # Only text holding a surrogate (escaped or not) can decode to one: else no walk.
    return displayable(data) if _MAY_HOLD_SURROGATE.search(text) else data


def stored_json(text: str):
    """Stored JSON text, to embed in an orjson document: passed through as it is (an
    ``orjson.Fragment``, no parsing), unless it may hold a lone surrogate, which is then
    shown as U+FFFD like everywhere else."""
    # ASCII without an escape (almost every stored value) holds no surrogate: two checks
    # in C instead of the pattern.
    if text.isascii() and "\\u" not in text:
        return orjson.Fragment(text)
    if _MAY_HOLD_SURROGATE.search(text):
        return tolerant_json_loads(text)
    return orjson.Fragment(text)
