"""Notifications in the back office: the log of every email and SMS with filters and
the message as rendered (secrets hidden), resend (a POST with a CSRF token, audited),
a preview of each template with sample data, and the filter by customer that the
customer page links to (``customer_notifications_url``). Thin: app.notifications does
the work."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField

from admin.security import SecureModelView, actor
from app.core.errors import DomainError
from app.core.types import as_uuid
from app.core.uow import unit_of_work
from app.notifications import service, templates
from app.notifications.models import Notification
from app.notifications.samples import SAMPLES


class ResendForm(FlaskForm):
    id = HiddenField()


def customer_notifications_url(user_id) -> str:
    """For other pages (the customer page): what was sent to this customer."""
    return url_for("bo_notifications.index_view", customer=str(user_id))


def _status(view, context, model, name):
    css = {"sent": "success", "failed": "danger", "sending": "warning"}.get(model.status, "secondary")
    return Markup(f'<span class="badge badge-{css}">{escape(model.status)}</span>')


class NotificationsView(SecureModelView):
    roles_read = ("admin", "support")
    roles_write = ("admin", "support")
    can_create = can_edit = can_delete = False
    can_view_details = True
    details_template = "backoffice/notification_details.html"
    list_template = "backoffice/notifications_list.html"

    column_list = ("created_at", "channel", "template", "recipient", "subject", "status",
                   "attempts", "error")
    column_details_list = ("id", "created_at", "sent_at", "channel", "template", "recipient",
                           "user_id", "locale", "status", "attempts", "dedupe_key", "subject",
                           "provider_message_id", "error", "resend_of")
    column_filters = ("channel", "template", "status", "recipient", "created_at")
    column_searchable_list = ("recipient", "subject", "template")
    column_default_sort = ("created_at", True)
    column_formatters = {"status": _status}

    def _customer(self):
        return as_uuid(request.args.get("customer")) if request else None

    def get_query(self):
        query = super().get_query()
        customer = self._customer()
        return query.filter(Notification.user_id == customer) if customer else query

    def get_count_query(self):
        query = super().get_count_query()
        customer = self._customer()
        return query.filter(Notification.user_id == customer) if customer else query

    def details_extras(self, model) -> dict:
        return {"form": ResendForm(id=str(model.id))}

    @expose("/resend/", methods=("POST",))
    def resend_view(self):
        form = ResendForm()
        notification_id = as_uuid(form.id.data)
        if not form.validate_on_submit() or notification_id is None:
            abort(400)
        try:
            with unit_of_work():
                copy = service.resend(notification_id, actor=actor())
        except DomainError as exc:
            flash(exc.message, "error")
            return redirect(self.get_url(".details_view", id=str(notification_id)))
        flash("Queued again as a new notification.", "success")
        return redirect(self.get_url(".details_view", id=str(copy.id)))

    @expose("/preview/")
    def preview_view(self):
        name = request.args.get("template") or next(iter(templates.TEMPLATES))
        if name not in templates.TEMPLATES:
            abort(404)
        locale = templates.locale_for(request.args.get("locale"))
        rendered = {channel: templates.render(name, channel, SAMPLES[name], locale)
                    for channel in sorted(templates.TEMPLATES[name].channels)}
        return self.render("backoffice/notification_preview.html", names=list(templates.TEMPLATES),
                           name=name, locale=locale, locales=templates.LOCALES, rendered=rendered)

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is None and name == "resend_view" and not self.can_write():
            return self.forbidden()
        return refused
