"""Failed event deliveries (admins only), with a retry that re-dispatches the event.

Retrying is safe: a handler that already completed for an event is skipped (deliveries
are keyed by event id and handler), so only the failed ones run again."""
from __future__ import annotations

from flask import flash
from flask_admin.actions import action

from admin.security import SecureModelView, actor, run
from app.core.types import as_uuid
from app.events import service as events
from app.events.models import EventDelivery


class DeliveriesView(SecureModelView):
    roles_read = ("admin",)
    roles_write = ("admin",)
    can_view_details = True

    column_list = ("updated_at", "handler", "event_id", "attempts", "last_error")
    column_searchable_list = ("handler", "last_error")
    column_filters = ("handler",)
    column_default_sort = ("updated_at", True)

    def get_query(self):
        return super().get_query().filter(EventDelivery.status == "failed")

    def get_count_query(self):
        return super().get_count_query().filter(EventDelivery.status == "failed")

    @action("retry", "Retry", "Run the selected deliveries again?")
    def action_retry(self, ids):
        wanted = [i for i in (as_uuid(x) for x in ids) if i is not None]
        ok, count = run(events.retry_failed, wanted, actor=actor())
        if not ok:
            return
        if not count:
            flash("Nothing to retry: the selected deliveries are no longer failed.", "info")
            return
        flash(f"Re-dispatched {count} event(s). Deliveries that fail again stay "
              "in this list.", "success")
