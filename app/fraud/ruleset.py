"""What a check evaluates against: the rules and the named lists, read from the
database each time (a rule saved is in force at the next check, in every process)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.fraud import engine
from app.fraud.models import FraudListEntry, FraudRule

# Always known to the rule language (and to the allow/block list attributes).
BUILTIN_LISTS = ("allow", "block")


def rules() -> list[engine.CompiledRule]:
    return engine.compile_rules(db.session.scalars(
        select(FraudRule).where(FraudRule.enabled.is_(True))).all())


def lists() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for name, value in db.session.execute(select(FraudListEntry.list_name, FraudListEntry.value)):
        found[name].add(value.lower())
    return {name: frozenset(values) for name, values in found.items()}


def list_names() -> set[str]:
    names = set(db.session.scalars(select(FraudListEntry.list_name).distinct()))
    return names | set(BUILTIN_LISTS)


def thresholds(config) -> tuple[int, int]:
    return config["FRAUD_REVIEW_SCORE"], config["FRAUD_BLOCK_SCORE"]
