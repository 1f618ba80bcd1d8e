"""Loading one row by id, the same way everywhere: a malformed id is simply not found."""
from app.core.errors import NotFound
from app.core.types import as_uuid
from app.extensions import db


def get_or_not_found(model, ident, message: str):
    key = as_uuid(ident)
    row = db.session.get(model, key) if key is not None else None
    if row is None:
        raise NotFound(message)
    return row
