"""Customers (support and admins): look up, deactivate, reactivate. Accounts are created
by their owners through the API, never here."""
from __future__ import annotations

from flask_admin.actions import action

from admin.security import SecureModelView, bulk
from app.payments import methods
from app.users import service as users

SAFE_COLUMNS = ("email", "full_name", "phone", "country", "email_verified_at", "is_active",
                "deactivated_at", "created_at", "updated_at")


class CustomersView(SecureModelView):
    roles_read = ("admin", "support")
    roles_write = ("admin", "support")
    can_view_details = True
    details_template = "backoffice/customer_details.html"

    column_list = ("email", "full_name", "country", "email_verified_at", "is_active",
                   "created_at")
    # Explicit lists: the password hash must never reach a page or an export.
    column_details_list = ("id", *SAFE_COLUMNS)
    column_labels = {"email_verified_at": "Email verified", "is_active": "Active"}
    column_searchable_list = ("email", "full_name")
    column_filters = ("is_active", "country", "email_verified_at", "created_at")
    column_default_sort = ("created_at", True)

    def details_extras(self, user) -> dict:
        # Masked only (brand, last 4, expiry): the card number never reaches us.
        return {"payment_methods": methods.listed_for(user.id)}

    @action("deactivate", "Deactivate",
            "Deactivate the selected accounts? They are signed out everywhere at once.")
    def action_deactivate(self, ids):
        bulk(ids, users.deactivate, "{} account(s) deactivated.")

    @action("reactivate", "Reactivate", "Reactivate the selected accounts?")
    def action_reactivate(self, ids):
        bulk(ids, users.reactivate, "{} account(s) reactivated.")
