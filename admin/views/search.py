"""The global search page (the top bar's box): results grouped by kind, each kind only
for the roles that may read its list (support sees no invoices)."""
from __future__ import annotations

from flask import request
from flask_admin import expose

from admin.security import ALL_ROLES, SecureView, signed_in_staff
from app import search
from app.core.actor_names import names
from app.users.models import User
from app.extensions import db
from sqlalchemy import select

# Who may see each kind: the roles_read of its list view.
KIND_ROLES = {"customers": ("admin", "support", "finance"), "orders": ALL_ROLES,
              "invoices": ("admin", "finance"), "payments": ALL_ROLES}


class SearchView(SecureView):
    roles_read = ALL_ROLES

    def is_visible(self) -> bool:
        return False  # the box in the top bar, not a menu entry

    @expose("/")
    def index(self):
        text = (request.args.get("q") or "").strip()
        staff = signed_in_staff()
        kinds = tuple(k for k in search.KINDS if staff.role in KIND_ROLES[k])
        results = search.find(text, kinds) if text else {k: [] for k in kinds}
        customer_ids = {row.customer_id for kind in ("orders", "invoices", "payments")
                        for row in results.get(kind, []) if row.customer_id}
        customers = {}
        if customer_ids:
            customers = {i: (n or e) for i, n, e in db.session.execute(
                select(User.id, User.full_name, User.email).where(User.id.in_(customer_ids)))}
        return self.render("backoffice/search.html", q=text, results=results,
                           customers=customers,
                           total=sum(len(rows) for rows in results.values()),
                           limit=search.LIMIT)
