"""The one text rule (app.core.text) and strict, depth-bounded JSON decoding
(app.core.jsonload): pure functions, no database."""
from __future__ import annotations

import json

import pytest

from app.core.jsonload import MAX_DEPTH, TooDeep, strict_loads, too_deep
from app.core.text import MESSAGE, displayable, is_clean, printable, text_errors, tolerant_json_loads


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C,
                                                   *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
                         + ["\ud800", "\udbff", "\udc00", "\udfff"])
def test_refused_characters(char):
    assert not is_clean(f"a{char}b")


@pytest.mark.parametrize("text", ["", "plain", "tab\tnewline\ncrlf\r\n", "é€😀",
                                  "\u00a0nbsp", "\u200bzero-width", "\ufffd"])
def test_accepted_text(text):
    assert is_clean(text)


def test_errors_name_the_path_lists_and_keys():
    data = {"ok": "fine", "a": {"b": ["x", "y\x01", {"c\ud800": 1}]}, "n": 5, "t\x1b": "v"}
    assert text_errors(data) == {"a": {"b": {1: [MESSAGE], 2: {"c\\ud800": [MESSAGE]}}},
                                 "t\\u001b": [MESSAGE]}
    assert text_errors("bad\x00") == [MESSAGE]
    assert text_errors({"fine": ["a", {"b": "c"}], "x": None, "y": 1.5}) is None


def test_printable_is_encodable():
    shown = printable("a\ud800b\x07")
    assert shown == "a\\ud800b\\u0007"
    shown.encode("utf-8")


def test_displayable_replaces_lone_surrogates_only():
    value = {"k\udc00": ["Ada \ud800", "😀", 3], "x": "\x07kept"}
    assert displayable(value) == {"k\ufffd": ["Ada \ufffd", "😀", 3], "x": "\x07kept"}


def test_tolerant_json_loads():
    stored = json.dumps({"name": "Ada \ud800", "emoji": "😀"})  # ensure_ascii: escapes
    assert "\\ud800" in stored
    assert tolerant_json_loads(stored) == {"name": "Ada \ufffd", "emoji": "😀"}
    assert tolerant_json_loads(stored.encode()) == {"name": "Ada \ufffd", "emoji": "😀"}
    assert tolerant_json_loads('{"a": [1, "b"]}') == {"a": [1, "b"]}


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_depth_limit_is_exact():
    assert not too_deep(_nested(MAX_DEPTH))
    assert too_deep(_nested(MAX_DEPTH + 1))
    assert too_deep(b'{"a":' * (MAX_DEPTH + 1))  # unclosed still counts


def test_brackets_in_strings_do_not_count():
    inside = json.dumps({"s": "[" * 100 + '\\"' + "{" * 100, "t": "\\"}).encode()
    assert not too_deep(inside)
    assert strict_loads(inside)["t"] == "\\"
    # an escaped quote does not end the string; the brackets after it are inside it
    assert not too_deep(b'["\\"' + b"[" * 100 + b'"]')


def test_unclosed_string_stops_the_scan():
    assert not too_deep(b'"\\"' * 50_000)  # linear: one failed match, then stop
    with pytest.raises(json.JSONDecodeError):
        strict_loads(b'"\\"' * 50_000)


@pytest.mark.parametrize("raw", [b"{bad", b"NaN", b'{"a": Infinity}', b"[-Infinity]",
                                 b"1" * 5000, b'"\xff"', b"[1,]"])
def test_not_json(raw):
    with pytest.raises(json.JSONDecodeError):
        strict_loads(raw)


def test_too_deep_is_a_value_error_before_decoding():
    with pytest.raises(TooDeep):
        strict_loads(_nested(500_000))
    assert issubclass(TooDeep, ValueError)  # request.get_json(silent=True) gives None


def test_strict_loads_keeps_lone_surrogates_for_the_text_rule():
    assert strict_loads(b'{"a": "\\ud800"}') == {"a": "\ud800"}
    assert strict_loads(b'{"a": 1e999999}')["a"] == float("inf")  # a number: schemas judge
    with pytest.raises(json.JSONDecodeError) as empty:
        strict_loads(b"")
    assert empty.value.doc == ""  # webargs reads this as "no body"
