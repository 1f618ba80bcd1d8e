"""Column types shared by every aggregate."""
import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, TypeDecorator, Uuid


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on both PostgreSQL and SQLite.

    SQLite drops the offset on the way back; this restores it so that comparisons
    with ``utcnow()`` never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


UUID = Uuid(as_uuid=True)


def as_uuid(value) -> uuid.UUID | None:
    """A UUID from a UUID or its text; None for anything that is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None
