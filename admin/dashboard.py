"""The back-office home, per role: money for finance and admins, counts for everyone,
charts (Chart.js, vendored) and the live toasts (Socket.IO). Figures come from
app/reporting; this view only picks what the signed-in role may see."""
from __future__ import annotations

from datetime import timedelta

from flask import request
from flask_admin import expose
from sqlalchemy import func, select

from admin.security import ALL_ROLES, SecureIndexView, signed_in_staff
from app.apikeys.models import ApiKey
from app.core.clock import business_date
from app.core.money import decimal_amount
from app.core.uow import unit_of_work
from app.extensions import db
from app.live import NAMESPACE
from app.reporting import figures, rollup
from app.staff.models import Staff
from app.users.models import User

MONEY_ROLES = ("admin", "finance")
CHART_DAYS = (30, 90)


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def headline_counts() -> dict[str, int]:
    return {
        "users": _count(select(func.count()).select_from(User)),
        "staff": _count(select(func.count()).select_from(Staff).where(Staff.is_active)),
        "api_keys": _count(select(func.count()).select_from(ApiKey)
                           .where(ApiKey.revoked_at.is_(None))),
        "failed_deliveries": figures.failed_deliveries(),
    }


def sees_money(staff) -> bool:
    return staff is not None and staff.role in MONEY_ROLES


def chart_data(days: int, with_money: bool) -> dict:
    """What the charts draw, as JSON in the page (never HTML): amounts as decimal strings
    so no float ever carries money; the browser plots them as numbers."""
    series = figures.per_day(days)
    data = {"days": days, "labels": series["labels"], "orders": series["orders"]}
    if with_money:
        data["revenue"] = {cur: [decimal_amount(v, cur) for v in values]
                           for cur, values in series["revenue"].items()}
        data["by_rate"] = [{"label": f"{row['currency']} {row['rate'] * 100:.2f} %",
                            "currency": row["currency"],
                            "net": decimal_amount(row["net_amount"], row["currency"]),
                            "tax": decimal_amount(row["tax_amount"], row["currency"])}
                           for row in figures.by_tax_rate(days)]
    return data


class DashboardView(SecureIndexView):
    roles_read = ALL_ROLES

    @expose("/")
    def index(self):
        staff = signed_in_staff()
        money = sees_money(staff)
        days = request.args.get("days", type=int)
        days = days if days in CHART_DAYS else CHART_DAYS[0]
        today = business_date()
        # The rollup may store closed days it had not yet: committed with this request.
        with unit_of_work():
            # One read of the widest window; the figures below take their days from it.
            rollup.prefetch(min(today.replace(day=1), today - timedelta(days=days - 1)), today)
            context = {
                "counts": headline_counts(),
                "activity": figures.counts(),
                "fraud_reviews": figures.open_fraud_reviews(),
                "failed_jobs": figures.failed_jobs(),
                "charts": chart_data(days, money),
                "today_figures": figures.period(today, today) if money else None,
                "month_figures": (figures.period(today.replace(day=1), today)
                                  if money else None),
                "receivables": figures.receivables(today) if money else None,
            }
        return self.render("backoffice/dashboard.html", live_namespace=NAMESPACE,
                           sees_money=money, days=days, chart_days=CHART_DAYS, today=today,
                           month_start=today.replace(day=1), yesterday=today - timedelta(days=1),
                           **context)
