"""The rule language: a small expression over a check's attributes, parsed by hand and
compiled to Python closures, never ``eval``-ed, so a rule saved by staff can only read
attributes and compare them.

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := operand [ ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
                          | ["not"] "in" list ]
    operand    := NUMBER | STRING | "true" | "false" | "null" | NAME | "(" expr ")"
    list       := "[" [literal ("," literal)*] "]" | "@" NAME      (a named fraud list)

Examples: ``amount > 50000 and currency == "EUR"``, ``ip_country not in ["DE", "AT"]``,
``email_domain in @blocked_domains``, ``is_disposable_email and account_age_days < 1``.

A comparison between values of different kinds (a number and a string, or an absent
value) does not match, as Radar treats a rule about an absent attribute as not
matching (``!=`` between a number and a string does); ``x == null`` and ``x != null``
ask about absence. Strings compare without case.
Positions in errors are 1-based characters of the expression.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Iterable

MAX_LENGTH = 2000


class RuleSyntaxError(ValueError):
    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position}")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Token:
    kind: str  # number | string | name | op | punct | keyword | list_ref | end
    value: object
    position: int  # 1-based


_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?![\w.]))
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<list_ref>@[A-Za-z_][A-Za-z0-9_]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<punct>[()\[\],])
""", re.VERBOSE)


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise RuleSyntaxError(f"Longer than {MAX_LENGTH} characters", MAX_LENGTH + 1)
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "\"'":
                raise RuleSyntaxError("Unterminated string", pos + 1)
            if char == "=":
                raise RuleSyntaxError("Unexpected '=' (compare with '==')", pos + 1)
            raise RuleSyntaxError(f"Unexpected character {char!r}", pos + 1)
        kind, raw = match.lastgroup, match.group()
        if kind == "number":
            tokens.append(Token("number", float(raw) if "." in raw else int(raw), pos + 1))
        elif kind == "string":
            tokens.append(Token("string", re.sub(r"\\(.)", r"\1", raw[1:-1]), pos + 1))
        elif kind == "name":
            tokens.append(Token("keyword" if raw in _KEYWORDS else "name", raw, pos + 1))
        elif kind == "list_ref":
            tokens.append(Token("list_ref", raw[1:], pos + 1))
        elif kind != "space":
            tokens.append(Token(kind, raw, pos + 1))
        pos = match.end()
    tokens.append(Token("end", None, len(text) + 1))
    return tokens


# The syntax tree: tuples, small and hashable.
#   ("lit", value) ("attr", name, pos) ("cmp", op, left, right)
#   ("in", negated, left, ("values", frozenset) | ("ref", name, pos))
#   ("and", a, b) ("or", a, b) ("not", a)

class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, kind: str, value=None) -> Token | None:
        tok = self.peek()
        if tok.kind == kind and (value is None or tok.value == value):
            self.i += 1
            return tok
        return None

    def expect(self, kind: str, value, what: str) -> Token:
        tok = self.accept(kind, value)
        if tok is None:
            raise RuleSyntaxError(f"Expected {what}, found {_describe(self.peek())}",
                                  self.peek().position)
        return tok

    def parse(self):
        if self.peek().kind == "end":
            raise RuleSyntaxError("Empty expression", 1)
        node = self.or_()
        if self.peek().kind != "end":
            raise RuleSyntaxError(f"Unexpected {_describe(self.peek())}", self.peek().position)
        return node

    def or_(self):
        node = self.and_()
        while self.accept("keyword", "or"):
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.accept("keyword", "and"):
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.accept("keyword", "not"):
            return ("not", self.not_())
        return self.comparison()

    def comparison(self):
        left = self.operand()
        tok = self.peek()
        if tok.kind == "op":
            self.take()
            return ("cmp", tok.value, left, self.operand())
        negated = False
        if tok.kind == "keyword" and tok.value == "not" and \
                self.tokens[self.i + 1].kind == "keyword" and self.tokens[self.i + 1].value == "in":
            self.take()
            negated = True
        if self.accept("keyword", "in"):
            return ("in", negated, left, self.list_())
        return left

    def operand(self):
        tok = self.take()
        if tok.kind in ("number", "string"):
            return ("lit", tok.value)
        if tok.kind == "keyword" and tok.value in ("true", "false", "null"):
            return ("lit", {"true": True, "false": False, "null": None}[tok.value])
        if tok.kind == "name":
            return ("attr", tok.value, tok.position)
        if tok.kind == "punct" and tok.value == "(":
            node = self.or_()
            self.expect("punct", ")", "')'")
            return node
        raise RuleSyntaxError(f"Expected a value or an attribute, found {_describe(tok)}",
                              tok.position)

    def list_(self):
        ref = self.accept("list_ref")
        if ref is not None:
            return ("ref", ref.value, ref.position)
        self.expect("punct", "[", "'[' or a list name like @blocked_emails")
        values = []
        if not self.accept("punct", "]"):
            while True:
                tok = self.take()
                if tok.kind not in ("number", "string"):
                    raise RuleSyntaxError(f"Lists hold numbers and strings, found "
                                          f"{_describe(tok)}", tok.position)
                values.append(tok.value)
                if self.accept("punct", "]"):
                    break
                self.expect("punct", ",", "',' or ']'")
        return ("values", frozenset(values))


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "the end of the expression"
    if tok.kind == "string":
        return f'"{tok.value}"'
    if tok.kind == "list_ref":
        return f"@{tok.value}"
    return repr(str(tok.value))


def parse(text: str):
    return _Parser(text or "").parse()


def names(node) -> Iterable[tuple[str, int]]:
    """(attribute, position) for every attribute the tree reads."""
    kind = node[0]
    if kind == "attr":
        yield node[1], node[2]
    elif kind == "cmp":
        yield from names(node[2])
        yield from names(node[3])
    elif kind == "in":
        yield from names(node[2])
    elif kind in ("and", "or"):
        yield from names(node[1])
        yield from names(node[2])
    elif kind == "not":
        yield from names(node[1])


def list_refs(node) -> Iterable[tuple[str, int]]:
    kind = node[0]
    if kind == "in" and node[3][0] == "ref":
        yield node[3][1], node[3][2]
    if kind in ("and", "or"):
        yield from list_refs(node[1])
        yield from list_refs(node[2])
    elif kind == "not":
        yield from list_refs(node[1])


def check(text: str, known: set[str], lists: set[str] | None = None):
    """Parse and refuse attribute (and, given ``lists``, list) names nobody provides."""
    tree = parse(text)
    for name, position in names(tree):
        if name not in known:
            raise RuleSyntaxError(f"Unknown attribute {name!r}", position)
    if lists is not None:
        for name, position in list_refs(tree):
            if name not in lists:
                raise RuleSyntaxError(f"Unknown list @{name}", position)
    return tree


# Compilation: closures over the attribute dict (and the named lists, passed per call).
Predicate = Callable[[dict, dict], object]

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}


def _kind(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def compile_tree(node) -> Predicate:
    kind = node[0]
    if kind == "lit":
        value = node[1]
        return lambda attrs, lists: value
    if kind == "attr":
        name = node[1]
        return lambda attrs, lists: attrs.get(name)
    if kind == "cmp":
        op, left, right = _OPS[node[1]], compile_tree(node[2]), compile_tree(node[3])
        ordered = node[1] not in ("==", "!=")
        null_test = ("lit", None) in (node[2], node[3])

        def compare(attrs, lists):
            a, b = left(attrs, lists), right(attrs, lists)
            if a is None or b is None:
                # Only "x == null" / "x != null" ask about absence; any other
                # comparison with an absent value does not match (Radar's way).
                return null_test and not ordered and op(a, b)
            ka, kb = _kind(a), _kind(b)
            if ka != kb:
                return False if ordered else (node[1] == "!=")
            if ordered and ka == "bool":
                return False
            if ka == "string":
                a, b = a.lower(), b.lower()
            return op(a, b)
        return compare
    if kind == "in":
        negated, left, target = node[1], compile_tree(node[2]), node[3]
        if target[0] == "values":
            values = frozenset(v.lower() if isinstance(v, str) else v for v in target[1])

            def member(attrs, lists):
                value = left(attrs, lists)
                if value is None:
                    return False
                found = (value.lower() if isinstance(value, str) else value) in values
                return found != negated
            return member
        list_name = target[1]

        def in_list(attrs, lists):
            value = left(attrs, lists)
            if value is None:
                return False
            found = str(value).lower() in lists.get(list_name, ())
            return found != negated
        return in_list
    if kind == "and":
        a, b = compile_tree(node[1]), compile_tree(node[2])
        return lambda attrs, lists: bool(a(attrs, lists)) and bool(b(attrs, lists))
    if kind == "or":
        a, b = compile_tree(node[1]), compile_tree(node[2])
        return lambda attrs, lists: bool(a(attrs, lists)) or bool(b(attrs, lists))
    if kind == "not":
        a = compile_tree(node[1])
        return lambda attrs, lists: not a(attrs, lists)
    raise ValueError(f"unknown node {kind}")


def compile_rule(text: str, known: set[str], lists: set[str] | None = None) -> Predicate:
    tree = check(text, known, lists)
    predicate = compile_tree(tree)
    return lambda attrs, lists: predicate(attrs, lists) is True
