"""Fraud rules (admins): the ordered rules, a form to add or change one with a dry run
over the latest orders, the changes waiting for a second admin, and the named lists.
Every write goes through app.fraud (validation, impact, maker-checker, audit)."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin import expose

from admin.security import SecureView, actor, flash_domain_error, run
from app.core.errors import DomainError
from app.core.types import as_uuid
from app.extensions import db
from app.fraud import dry_run, lists, rule_edits
from app.fraud.attributes import DESCRIPTIONS
from app.fraud.models import ACTIONS, FraudRule

ADMIN = ("admin",)


def _fields(form) -> dict:
    position = (form.get("position") or "").strip()
    return {"name": form.get("name", ""), "expression": form.get("expression", ""),
            "action": form.get("action", ""),
            "position": int(position) if position.isdigit() else position,
            "enabled": form.get("enabled") in ("on", "1", "true", "y")}


class FraudRulesView(SecureView):
    roles_read = ADMIN
    roles_write = ADMIN

    def _page(self, draft: dict | None = None, result=None, editing=None, status: int = 200):
        return self.render("backoffice/fraud_rules.html", rules=rule_edits.rules(),
                           pending=rule_edits.pending_changes(), entries=lists.entries(),
                           draft=draft or {"position": 100, "action": "review", "enabled": True},
                           editing=editing, result=result, actions=ACTIONS,
                           attributes=DESCRIPTIONS, me=actor().ref), status

    @expose("/")
    def index(self):
        editing = None
        rule_id = request.args.get("edit")
        if rule_id:
            editing = db.session.get(FraudRule, as_uuid(rule_id)) if as_uuid(rule_id) else None
            if editing is None:
                abort(404)
            return self._page({"name": editing.name, "expression": editing.expression,
                               "action": editing.action, "position": editing.position,
                               "enabled": editing.enabled}, editing=editing)
        return self._page()

    @expose("/save", methods=("POST",))
    def save_view(self):
        draft = _fields(request.form)
        rule_id = request.form.get("rule_id") or None
        editing = db.session.get(FraudRule, as_uuid(rule_id)) if as_uuid(rule_id) else None
        if request.form.get("do") == "dry_run":
            try:
                result = dry_run.run(draft["expression"])
            except DomainError as exc:
                flash_domain_error(exc)
                return self._page(draft, editing=editing, status=422)
            return self._page(draft, result=result, editing=editing)
        ok, change = run(rule_edits.propose, rule_id, draft, actor=actor())
        if not ok:
            return self._page(draft, editing=editing, status=422)
        self._flash(change)
        return redirect(self.get_url(".index"))

    @expose("/<rule_id>/delete", methods=("POST",))
    def delete_view(self, rule_id):
        ok, change = run(rule_edits.propose, rule_id, None, actor=actor(), delete=True)
        if ok:
            self._flash(change)
        return redirect(self.get_url(".index"))

    @staticmethod
    def _flash(change) -> None:
        share = f"{change.impact_matched} of the last {change.impact_total} orders"
        if change.status == "applied":
            flash(f"Rule {change.name!r}: {change.kind} applied (matches {share}).", "success")
        else:
            flash(f"Rule {change.name!r}: {change.kind} waits for a second admin's approval: "
                  f"it matches {share}.", "warning")

    @expose("/changes/<change_id>/decide", methods=("POST",))
    def decide_view(self, change_id):
        decision = request.form.get("decision")
        note = (request.form.get("note") or "")[:500]
        if decision == "approve":
            ok, change = run(rule_edits.approve, change_id, actor=actor(), note=note)
            if ok:
                flash(f"Rule change {change.name!r} approved and applied.", "success")
        elif decision == "reject":
            ok, change = run(rule_edits.reject, change_id, actor=actor(), note=note)
            if ok:
                flash(f"Rule change {change.name!r} rejected.", "success")
        else:
            abort(400)
        return redirect(self.get_url(".index"))

    @expose("/lists/add", methods=("POST",))
    def list_add_view(self):
        ok, entry = run(lists.add, request.form.get("list_name", ""),
                        request.form.get("value", ""), note=request.form.get("note", ""),
                        actor=actor())
        if ok:
            flash(f"{entry.value} added to @{entry.list_name}.", "success")
        return redirect(self.get_url(".index"))

    @expose("/lists/<entry_id>/remove", methods=("POST",))
    def list_remove_view(self, entry_id):
        ok, _ = run(lists.remove, entry_id, actor=actor())
        if ok:
            flash("List entry removed.", "success")
        return redirect(self.get_url(".index"))
