"""Partners' webhook endpoints (admin and support): list, create (the secret is shown
once), detail with the delivery log, and the actions a support case needs: disable
(the partner is told), enable, send a test event, replay any event by its id. Every
change goes through app.webhooks.service."""
from __future__ import annotations

from flask import abort, flash, redirect
from flask_admin import expose
from flask_admin.actions import action
from markupsafe import Markup

from admin.security import SecureModelView, actor, bulk, run
from admin.webhook_forms import WebhookActionForm, WebhookEndpointForm
from app.apikeys.models import ApiKey
from app.core.types import as_uuid
from app.extensions import db
from app.webhooks import queries, service
from app.webhooks.models import WebhookEndpoint

ACTIONS = {
    "disable": lambda ident, form: service.disable(ident, actor=actor(),
                                                   reason=form.reason.data or ""),
    "enable": lambda ident, form: service.enable(ident, actor=actor()),
    "test": lambda ident, form: service.send_test(ident, actor=actor()),
    "replay": lambda ident, form: service.replay(ident, (form.event_id.data or "").strip(),
                                                 actor=actor()),
}
DONE = {"disable": "Endpoint disabled; its contact is told.", "enable": "Endpoint enabled.",
        "test": "Test event sent.", "replay": "Event sent again (same id)."}


def _owner(view, context, model, name):
    if model.api_key_id is None:
        return "staff"
    key = db.session.get(ApiKey, model.api_key_id)
    return str(key) if key else str(model.api_key_id)


def _state(view, context, model, name):
    if model.enabled:
        return Markup('<span class="badge badge-success">enabled</span>')
    return Markup('<span class="badge badge-secondary" title="{0}">disabled</span>').format(
        model.disabled_reason or "")


def _types(view, context, model, name):
    return ", ".join(model.event_types or [])


class WebhookEndpointsView(SecureModelView):
    roles_read = ("admin", "support")
    roles_write = ("admin", "support")
    allow_create = True
    can_view_details = True
    details_template = "backoffice/webhook_details.html"
    column_type_formatters_detail = SecureModelView.column_type_formatters

    column_list = ("url", "owner", "event_types", "state", "failing_since", "created_at")
    column_details_list = ("id", "url", "description", "owner", "contact_email", "event_types",
                           "state", "disabled_reason", "disabled_at", "failing_since",
                           "previous_secret_expires_at", "created_by", "created_at")
    column_labels = {"previous_secret_expires_at": "Old secret valid until",
                     "failing_since": "Failing since"}
    column_formatters = {"owner": _owner, "state": _state, "event_types": _types}
    column_searchable_list = ("url", "description", "contact_email")
    column_filters = ("enabled", "created_at", "failing_since")
    column_default_sort = ("created_at", True)

    def get_query(self):
        return super().get_query().filter(WebhookEndpoint.deleted_at.is_(None))

    def get_count_query(self):
        return super().get_count_query().filter(WebhookEndpoint.deleted_at.is_(None))

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = WebhookEndpointForm()
        if form.validate_on_submit():
            ok, created = run(service.create, url=form.url.data,
                              event_types=form.event_types.data,
                              contact_email=form.contact_email.data,
                              description=form.description.data or "", actor=actor())
            if ok:  # never cached: the back office answers no-store (admin/__init__.py)
                endpoint, secret = created
                return self.render("backoffice/webhook_created.html", endpoint=endpoint,
                                   secret=secret)
        return self.render("backoffice/webhook_form.html", form=form)

    def details_extras(self, endpoint: WebhookEndpoint) -> dict:
        rows, attempts, events, _ = queries.deliveries(endpoint.id, actor=actor(), limit=50)
        return {"deliveries": [(d, events[d.event_id], attempts[d.id]) for d in rows],
                "form": WebhookActionForm()}

    @expose("/act/", methods=("POST",))
    def act_view(self):
        form = WebhookActionForm()
        if not form.validate_on_submit() or form.action.data not in ACTIONS \
                or as_uuid(form.id.data) is None:
            abort(400)
        ok, _ = run(ACTIONS[form.action.data], form.id.data, form)
        if ok:
            flash(DONE[form.action.data], "success")
        return redirect(self.get_url(".details_view", id=form.id.data))

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is None and name == "act_view" and not self.can_write():
            return self.forbidden()
        return refused

    @action("disable", "Disable", "Disable the selected endpoints? Their partners are told.")
    def action_disable(self, ids):
        bulk(ids, service.disable, "{} endpoint(s) disabled.")

    @action("enable", "Enable", "Enable the selected endpoints?")
    def action_enable(self, ids):
        bulk(ids, service.enable, "{} endpoint(s) enabled.")

    @action("test", "Send test event", "Send a test event to the selected endpoints?")
    def action_test(self, ids):
        bulk(ids, service.send_test, "Test event sent to {} endpoint(s).")
