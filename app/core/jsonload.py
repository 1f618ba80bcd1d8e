"""Decoding JSON from outside: strict, and bounded in depth before any decoding.

The stdlib decoder recurses per level: a crafted body of a few hundred kilobytes of
``[`` raises RecursionError (a 500) wherever it is decoded, in a view or in a rate
limiter's key function. So the depth is measured on the raw bytes first. The stdlib
decoder is kept (not orjson) because it keeps lone surrogates, so that the text rule
(app.core.text) can name the field instead of refusing the whole body.

``app.json`` is a :class:`StrictJSONProvider` (app factory), so ``request.get_json()``
follows the same rules as the API's parser (api/parser.py).
"""
from __future__ import annotations

import json
import re

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32

# A JSON string (skipped whole: brackets inside it do not count), a bracket, or a quote
# that opens a string never closed (invalid JSON: the scan stops, the decoder reports it).
# Unrolled-loop form, so a long string is one linear match.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|"', re.S)
_OPEN, _CLOSE = frozenset(b"[{"), frozenset(b"]}")


class TooDeep(ValueError):
    def __init__(self):
        super().__init__(f"Nested deeper than {MAX_DEPTH} levels.")


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    depth = 0
    for match in _TOKENS.finditer(raw):
        first = raw[match.start()]
        if first in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif first in _CLOSE:
            depth -= 1
        elif match.end() - match.start() == 1:  # the unclosed quote
            return False
    return False


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON.")


def strict_loads(raw: bytes | str):
    """Raises TooDeep, or json.JSONDecodeError for anything that is not strict JSON:
    bad syntax, bad UTF-8, NaN/Infinity, an integer longer than int() accepts.
    An empty body raises JSONDecodeError with ``doc == ""`` (webargs: no body)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if too_deep(raw):
        raise TooDeep()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError(f"Not UTF-8: {exc.reason}", "?", exc.start) from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc), text or "?", 0) from exc


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        return strict_loads(s)
