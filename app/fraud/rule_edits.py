"""Changing the rules: admins only, every change a FraudRuleChange row and audited. A
change is dry-run over the latest orders when proposed; if the rule (as it would be, or
as it was for a delete or a disable) matches more than FRAUD_RULE_APPROVAL_IMPACT of
them, it waits for a second admin (maker-checker, as refunds above a threshold do),
else it applies at once. Applying checks the rule's version: a change prepared against
an older version is refused, never applied over a newer one."""
from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy import func, select

from app.audit import service as audit
from app.core import transitions
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.core.text import MESSAGE, is_clean
from app.core.types import as_uuid, utcnow
from app.extensions import db
from app.fraud import dry_run
from app.fraud.models import ACTIONS, FraudRule, FraudRuleChange

EDITORS = ("admin",)
CHANGE_TRANSITIONS = {"pending": {"applied", "rejected"}, "applied": set(), "rejected": set()}


def _require_admin(actor: Actor) -> None:
    if actor.kind != "staff" or actor.role not in EDITORS:
        raise PermissionDenied("Only admins change fraud rules.")


def _check_change(current: str, target: str) -> None:
    if target not in CHANGE_TRANSITIONS.get(current, set()):
        raise Conflict(f"This rule change is already {current}.",
                       errors={"status": [f"{current} -> {target} is not allowed."]})


def rules() -> list[FraudRule]:
    return list(db.session.scalars(select(FraudRule).order_by(FraudRule.position, FraudRule.name)))


def pending_changes() -> list[FraudRuleChange]:
    return list(db.session.scalars(select(FraudRuleChange).where(FraudRuleChange.status == "pending")
                                   .order_by(FraudRuleChange.created_at)))


def clean(fields: dict) -> dict:
    """The rule's fields validated, the expression parsed against the known attributes
    and lists (an error names its position)."""
    errors: dict = {}
    name = str(fields.get("name") or "").strip()
    if not name or len(name) > 100 or not is_clean(name):
        errors["name"] = ["1 to 100 characters." if is_clean(name) else MESSAGE]
    action = fields.get("action")
    if action not in ACTIONS:
        errors["action"] = [f"One of {', '.join(ACTIONS)}."]
    position = fields.get("position")
    if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position <= 100000:
        errors["position"] = ["A whole number from 0 to 100000."]
    text = str(fields.get("expression") or "").strip()
    try:
        dry_run.compile_draft(text)
    except InvalidInput as exc:
        errors["expression"] = exc.errors["expression"]
        errors.setdefault("position_of_error", exc.errors["position"])
    if errors:
        raise InvalidInput("The rule is not valid.", errors=errors)
    return {"name": name, "action": action, "position": position, "expression": text,
            "enabled": bool(fields.get("enabled", True))}


def propose(rule_id, fields: dict | None, *, actor: Actor, delete: bool = False) -> FraudRuleChange:
    """Create (``rule_id`` None), update or delete a rule: applied now, or pending a
    second admin when its impact is above the threshold."""
    _require_admin(actor)
    rule = None
    if rule_id is not None:
        rule = db.session.get(FraudRule, as_uuid(rule_id)) if as_uuid(rule_id) else None
        if rule is None:
            raise NotFound("Rule not found.")
    if delete:
        if rule is None:
            raise InvalidInput("Which rule?", errors={"rule_id": ["Required to delete."]})
        values = {"name": rule.name, "action": rule.action, "position": rule.position,
                  "expression": rule.expression, "enabled": rule.enabled}
    else:
        values = clean(fields or {})
        taken = db.session.scalar(select(FraudRule.id).where(
            func.lower(FraudRule.name) == values["name"].lower()))
        if taken is not None and (rule is None or taken != rule.id):
            raise InvalidInput("The rule is not valid.", errors={"name": ["Already used."]})
    # The rule's reach: as it would be, or as it was when the change stops it matching.
    stops = delete or (rule is not None and rule.enabled and not values["enabled"])
    measured = dry_run.run(rule.expression if stops else values["expression"])
    kind = "delete" if delete else ("update" if rule else "create")
    change = FraudRuleChange(id=uuid.uuid4(), rule_id=rule.id if rule else None, kind=kind,
                             status="pending", base_version=rule.version if rule else None,
                             impact_matched=len(measured.caught), impact_total=measured.total,
                             requested_by=actor.ref, requested_by_label=actor.label[:255],
                             **values)
    db.session.add(change)
    audit.record(actor, "fraud_rule_change.request", "fraud_rule_change", change.id,
                 after={"kind": kind, "rule_id": str(rule.id) if rule else None, **values,
                        "impact": f"{len(measured.caught)}/{measured.total}"})
    db.session.flush()
    if not _needs_approval(change):
        _apply(change, actor)
    return change


def _needs_approval(change: FraudRuleChange) -> bool:
    return change.impact > current_app.config["FRAUD_RULE_APPROVAL_IMPACT"]


def approve(change_id, *, actor: Actor, note: str = "") -> FraudRuleChange:
    change = _decider(change_id, actor)
    _apply(change, actor, note=note)
    return change


def reject(change_id, *, actor: Actor, note: str = "") -> FraudRuleChange:
    change = _decider(change_id, actor)
    transitions.move(change, "rejected", actor=actor, check=_check_change,
                     topic="fraud_rule_change", values=_decision(actor, note))
    db.session.flush()
    return change


def _decider(change_id, actor: Actor) -> FraudRuleChange:
    _require_admin(actor)
    ident = as_uuid(change_id)
    change = db.session.scalars(select(FraudRuleChange).where(FraudRuleChange.id == ident)
                                .with_for_update()
                                .execution_options(populate_existing=True)).first() \
        if ident else None
    if change is None:
        raise NotFound("Rule change not found.")
    _check_change(change.status, "applied")
    if change.requested_by == actor.ref:
        raise PermissionDenied("You proposed this change: another admin must decide.",
                               errors={"decided_by": ["Not the requester (maker-checker)."]})
    return change


def _decision(actor: Actor, note: str) -> dict:
    return {"decided_by": actor.ref, "decided_by_label": actor.label[:255],
            "decided_at": utcnow(), "note": (note or "").strip()[:500]}


def _apply(change: FraudRuleChange, actor: Actor, note: str = "") -> None:
    values = {"name": change.name, "action": change.action, "position": change.position,
              "expression": change.expression, "enabled": change.enabled}
    rule = None
    if change.rule_id is not None:
        rule = db.session.scalars(select(FraudRule).where(FraudRule.id == change.rule_id)
                                  .with_for_update()).first()
        if rule is None or rule.version != change.base_version:
            raise Conflict("The rule changed since this change was proposed; propose it again.",
                           errors={"version": [str(change.base_version)]})
    if change.kind == "create":
        rule = FraudRule(id=uuid.uuid4(), version=1, updated_by=actor.ref, **values)
        db.session.add(rule)
        change.rule_id = rule.id
        audit.record(actor, "fraud_rule.create", "fraud_rule", rule.id, after=values)
    elif change.kind == "update":
        before = {k: getattr(rule, k) for k in values}
        for key, value in values.items():
            setattr(rule, key, value)
        rule.version += 1
        rule.updated_by = actor.ref
        old, new = audit.changed(before, values)
        audit.record(actor, "fraud_rule.update", "fraud_rule", rule.id,
                     before=old, after={**new, "version": rule.version})
    else:
        audit.record(actor, "fraud_rule.delete", "fraud_rule", rule.id, before=values)
        change.rule_id = None
        db.session.delete(rule)
    db.session.flush()
    decided = {} if change.requested_by == actor.ref else _decision(actor, note)
    transitions.move(change, "applied", actor=actor, check=_check_change,
                     topic="fraud_rule_change", values=decided)
    db.session.flush()
