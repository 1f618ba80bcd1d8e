"""Fraud rules in the back office (admins only): saving refuses what does not parse or
names an unknown attribute, with the position; the dry run shows what a draft would have
caught; a change above FRAUD_RULE_APPROVAL_IMPACT waits for a second admin; every change
audited."""
import re
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.actor import Actor
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.fraud import rule_edits
from app.fraud.models import FraudRule, FraudRuleChange
from tests.invoice_support import act
from tests.payments_support import customer, place_order

pytestmark = pytest.mark.usefixtures("tax_rates")

RULES = "/admin/fraud/rules/"
ADA = Actor(kind="staff", id=uuid.uuid4(), label="ada@test", role="admin")
BOB = Actor(kind="staff", id=uuid.uuid4(), label="bob@test", role="admin")


def text(resp) -> str:
    return resp.get_data(as_text=True)


def save(bo, **fields):
    data = {"name": "Big", "position": "50", "action": "review", "enabled": "on",
            "expression": "amount > 5000", "do": "save", **fields}
    return bo.post(f"{RULES}save", data, token_from=RULES)


def orders(client, *quantities):
    _, headers = customer(client)
    return [place_order(client, headers, quantity=q) for q in quantities]


def test_only_admins_see_the_rules(login_as):
    for role, status in (("admin", 200), ("finance", 403), ("support", 403)):
        bo, _ = login_as(role)
        assert bo.get(RULES).status_code == status
    bo, _ = login_as("support")
    assert save(bo).status_code in (302, 403)
    assert db.session.scalar(select(FraudRule.id)) is None


def test_a_rule_that_does_not_parse_is_refused_with_its_position(login_as):
    bo, _ = login_as("admin")
    bad = save(bo, expression="amount > 5000 and (currency == 'GBP'")
    assert bad.status_code == 422
    assert "Expected &#39;)&#39;, found the end of the expression at position 37" in text(bad)
    unknown = save(bo, expression="amount > 5000 and shoe_size > 44")
    assert unknown.status_code == 422
    assert "Unknown attribute &#39;shoe_size&#39; at position 19" in text(unknown)
    listed = save(bo, expression="email in @nowhere")
    assert "Unknown list @nowhere at position 10" in text(listed)
    # The draft stays in the form to be corrected; nothing was saved or audited.
    assert "shoe_size" not in text(bo.get(RULES))
    assert db.session.scalar(select(FraudRule.id)) is None
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action.like("fraud_rule%"))) is None


def test_the_service_refuses_bad_rules_alike(app):
    with pytest.raises(InvalidInput) as err:
        rule_edits.clean({"name": "x", "action": "hold", "position": -1,
                          "expression": "amount >> 5"})
    assert set(err.value.errors) == {"action", "position", "expression", "position_of_error"}
    assert err.value.errors["position_of_error"] == [9]


def test_the_dry_run_shows_what_a_draft_would_have_caught(client, login_as):
    small, big, bigger = orders(client, 1, 3, 4)  # 30.00, 90.00, 120.00 GBP
    bo, _ = login_as("admin")
    page = text(bo.post(f"{RULES}save", {"name": "Big", "position": "50", "action": "block",
                                        "expression": "amount > 5000", "do": "dry_run"},
                        token_from=RULES))
    assert "Would have matched 2 of the last 3 orders" in page
    hits = re.findall(r'dry-run-hit"><td><a href="[^"]*id=([0-9a-f-]+)"', page)
    assert sorted(hits) == sorted([big["id"], bigger["id"]])
    assert 'value="amount &gt; 5000"' in page or "amount &gt; 5000</textarea>" in page
    # A dry run changes nothing.
    assert db.session.scalar(select(FraudRule.id)) is None
    assert db.session.scalar(select(FraudRuleChange.id)) is None


def test_a_wide_change_waits_for_a_second_admin(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "FRAUD_RULE_APPROVAL_IMPACT", 0.5)
    orders(client, 1, 3, 4)
    ada, ada_staff = login_as("admin")
    narrow = save(ada, name="Huge", expression="amount > 10000")  # 1 of 3: applied
    assert "applied (matches 1 of the last 3 orders)" in text(ada.get(narrow.location))
    wide = save(ada, name="Big", expression="amount > 2000", action="block")  # 3 of 3
    assert "waits for a second admin" in text(ada.get(wide.location))
    change = db.session.scalars(select(FraudRuleChange).where(
        FraudRuleChange.status == "pending")).one()
    assert (change.impact_matched, change.impact_total) == (3, 3)
    assert [r.name for r in db.session.scalars(select(FraudRule))] == ["Huge"]

    assert "bo-own-request" in text(ada.get(RULES))
    own = ada.post(f"{RULES}changes/{change.id}/decide", {"decision": "approve"},
                   token_from=RULES)
    assert "another admin must decide" in text(ada.get(own.location))
    db.session.expire_all()
    assert db.session.get(FraudRuleChange, change.id).status == "pending"

    bob, _ = login_as("admin")
    assert f'id="approve-{change.id}"' in text(bob.get(RULES))
    done = bob.post(f"{RULES}changes/{change.id}/decide", {"decision": "approve",
                                                            "note": "Checked the 3"},
                    token_from=RULES)
    assert "approved and applied" in text(bob.get(done.location))
    again = bob.post(f"{RULES}changes/{change.id}/decide", {"decision": "reject"},
                     token_from=RULES)
    assert "already applied" in text(bob.get(again.location))
    db.session.expire_all()
    rules = {r.name: r for r in db.session.scalars(select(FraudRule))}
    assert rules["Big"].action == "block" and rules["Big"].version == 1
    actions = [a for a, in db.session.execute(select(AuditEntry.action).where(
        AuditEntry.action.like("fraud_rule%")).order_by(AuditEntry.occurred_at))]
    assert actions.count("fraud_rule.create") == 2
    assert actions.count("fraud_rule_change.request") == 2
    assert "fraud_rule_change.applied" in actions


def test_editing_and_deleting_bump_the_version_and_are_audited(client, login_as):
    orders(client, 1)
    bo, _ = login_as("admin")
    save(bo, name="Big", expression="amount > 100000")
    found = db.session.scalars(select(FraudRule)).one()
    edit_page = text(bo.get(f"{RULES}?edit={found.id}"))
    assert "Change rule Big" in edit_page
    save(bo, name="Big", expression="amount > 200000", rule_id=str(found.id), enabled="")
    db.session.expire_all()
    found = db.session.get(FraudRule, found.id)
    assert (found.expression, found.version, found.enabled) == ("amount > 200000", 2, False)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "fraud_rule.update")).one()
    assert entry.before == {"expression": "amount > 100000", "enabled": True}
    bo.post(f"{RULES}{found.id}/delete", {}, token_from=RULES)
    db.session.expire_all()
    assert db.session.scalar(select(FraudRule.id)) is None
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "fraud_rule.delete")) is not None


def test_a_change_prepared_against_an_old_version_is_refused(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "FRAUD_RULE_APPROVAL_IMPACT", 0.0)
    orders(client, 3)
    monkeypatch.setitem(app.config, "FRAUD_RULE_APPROVAL_IMPACT", 1.0)
    rule = act(rule_edits.propose, None, {"name": "R", "expression": "amount > 1",
                                          "action": "review", "position": 1}, actor=ADA)
    monkeypatch.setitem(app.config, "FRAUD_RULE_APPROVAL_IMPACT", 0.0)
    pending = act(rule_edits.propose, rule.rule_id, {"name": "R", "expression": "amount > 2",
                                                     "action": "block", "position": 1},
                  actor=ADA)
    assert pending.status == "pending"
    monkeypatch.setitem(app.config, "FRAUD_RULE_APPROVAL_IMPACT", 1.0)
    act(rule_edits.propose, rule.rule_id, {"name": "R", "expression": "amount > 3",
                                           "action": "review", "position": 1}, actor=BOB)
    with pytest.raises(Conflict, match="changed since"):
        act(rule_edits.approve, pending.id, actor=BOB)
    with pytest.raises(PermissionDenied):
        act(rule_edits.propose, None, {}, actor=Actor(kind="staff", id=uuid.uuid4(),
                                                      label="f", role="finance"))
