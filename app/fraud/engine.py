"""Deciding, with Radar's semantics: the enabled rules in position order, the first that
matches decides (allow, block or review); when none matches, the risk score against the
thresholds does. Pure: no database, no Redis; the caller gathers the attributes."""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field

from app.fraud import expression, score as scoring
from app.fraud.attributes import KNOWN


@dataclass(frozen=True)
class CompiledRule:
    id: uuid.UUID | None
    name: str
    action: str
    predicate: object


@dataclass(frozen=True)
class Decision:
    action: str  # allow | block | review
    score: int
    rule_id: uuid.UUID | None = None
    rule_name: str | None = None
    signals: dict = field(default_factory=dict)


@functools.lru_cache(maxsize=4096)
def _compiled(text: str):
    # Saved rules were checked when saved; compiled once per process and expression.
    return expression.compile_rule(text, set(KNOWN))


def compile_rules(rules) -> list[CompiledRule]:
    """``rules``: objects with id, name, action, expression, enabled, position."""
    ordered = sorted((r for r in rules if r.enabled), key=lambda r: (r.position, r.name))
    return [CompiledRule(r.id, r.name, r.action, _compiled(r.expression)) for r in ordered]


def first_match(rules: list[CompiledRule], attrs: dict, lists: dict) -> CompiledRule | None:
    for rule in rules:
        if rule.predicate(attrs, lists):
            return rule
    return None


def decide(rules: list[CompiledRule], attrs: dict, lists: dict, settings: dict,
           thresholds: tuple[int, int]) -> Decision:
    """``attrs`` gains ``risk_score``; ``thresholds``: (review at, block at)."""
    risk, fired = scoring.score(attrs, settings)
    attrs["risk_score"] = risk
    rule = first_match(rules, attrs, lists)
    if rule is not None:
        return Decision(rule.action, risk, rule.id, rule.name, fired)
    review_at, block_at = thresholds
    if risk >= block_at:
        return Decision("block", risk, None, "risk_score", fired)
    if risk >= review_at:
        return Decision("review", risk, None, "risk_score", fired)
    return Decision("allow", risk, None, None, fired)
