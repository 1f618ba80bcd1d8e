"""List filters for the app's UTCDateTime columns.

Flask-Admin only knows the plain DateTime type and parses picker values as naive
datetimes, which UTCDateTime rightly refuses. Values typed in the back office are UTC.
"""
from __future__ import annotations

from datetime import timezone

from flask_admin.contrib.sqla import filters as sqla
from flask_admin.model.filters import convert


def _aware(value):
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


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
