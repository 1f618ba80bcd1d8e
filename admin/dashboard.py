"""The back-office home: headline counts and the live event feed (Socket.IO)."""
from __future__ import annotations

from flask_admin import expose
from sqlalchemy import func, select

from admin.security import ALL_ROLES, SecureIndexView
from app.apikeys.models import ApiKey
from app.events.models import EventDelivery
from app.extensions import db
from app.live import NAMESPACE
from app.staff.models import Staff
from app.users.models import User


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def headline_counts() -> dict[str, int]:
    return {
        "users": _count(select(func.count()).select_from(User)),
        "staff": _count(select(func.count()).select_from(Staff).where(Staff.is_active)),
        "api_keys": _count(select(func.count()).select_from(ApiKey)
                           .where(ApiKey.revoked_at.is_(None))),
        "failed_deliveries": _count(select(func.count()).select_from(EventDelivery)
                                    .where(EventDelivery.status == "failed")),
    }


class DashboardView(SecureIndexView):
    roles_read = ALL_ROLES

    @expose("/")
    def index(self):
        return self.render("backoffice/dashboard.html", counts=headline_counts(),
                           live_namespace=NAMESPACE)
