"""List filters for the app's UTCDateTime columns.

Flask-Admin only knows the plain DateTime type and parses picker values as naive
datetimes, which UTCDateTime rightly refuses. Values typed in the back office are read in
the staff member's time zone, the one the lists show times in (admin/display.py).
"""
from __future__ import annotations

from datetime import timezone

from flask_admin.contrib.sqla import filters as sqla
from flask_admin.model.filters import convert


def _aware(value):
    if value.tzinfo is not None:
        return value
    from admin.display import staff_zone

    # fold=0: a wall time that occurs twice (clocks going back) is its first occurrence.
    return value.replace(tzinfo=staff_zone()).astimezone(timezone.utc)


def _utc(base):
    def clean(self, value):
        cleaned = base.clean(self, value)
        return [_aware(v) for v in cleaned] if isinstance(cleaned, list) else _aware(cleaned)

    return type(f"UTC{base.__name__}", (base,), {"clean": clean})


UTC_DATETIME_FILTERS = (
    *(_utc(f) for f in (sqla.DateTimeEqualFilter, sqla.DateTimeNotEqualFilter,
                        sqla.DateTimeGreaterFilter, sqla.DateTimeSmallerFilter,
                        sqla.DateTimeBetweenFilter, sqla.DateTimeNotBetweenFilter)),
    sqla.FilterEmpty,
)


class FilterConverter(sqla.FilterConverter):
    @convert("UTCDateTime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [f(column, name, **kwargs) for f in UTC_DATETIME_FILTERS]
