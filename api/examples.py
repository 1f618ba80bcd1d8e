"""Body examples composed from the fields' own ``metadata["example"]``.

Every field documents its example once, next to its description; the Blueprint
(api/smorest.py) attaches the composed body to each request and response, so an
operation's example cannot drift from its schema's fields. A field without an example
takes a stock value for its type, or is left out when optional and untyped.
"""
from __future__ import annotations

import marshmallow as ma

from api.enums import ENUMS

REQUEST, RESPONSE = "load", "dump"

# Stock values where one example reads as well as another.
_BY_TYPE = (
    (ma.fields.UUID, "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
    (ma.fields.AwareDateTime, "2026-03-01T09:30:00+00:00"),
    (ma.fields.DateTime, "2026-03-01T09:30:00+00:00"),
    (ma.fields.Date, "2026-03-01"),
    (ma.fields.Boolean, False),
)


class MissingExample(LookupError):
    pass


def _field_example(field: ma.fields.Field, direction: str):
    if "example" in field.metadata:
        return field.metadata["example"]
    if isinstance(field, ma.fields.Nested):
        return body_example(field.schema, direction)
    if isinstance(field, ma.fields.List):
        return [_field_example(field.inner, direction)]
    enum = field.metadata.get("enum_component")
    if enum is not None:
        return ENUMS[enum][0][0]
    for field_type, value in _BY_TYPE:
        if isinstance(field, field_type):
            return value
    raise MissingExample(field)


def body_example(schema: ma.Schema, direction: str) -> dict:
    """The example body of ``schema`` as a client sends it (REQUEST) or receives it."""
    skip = "dump_only" if direction == REQUEST else "load_only"
    body = {}
    for name, field in schema.fields.items():
        if getattr(field, skip):
            continue
        key = field.data_key or name
        try:
            body[key] = _field_example(field, direction)
        except MissingExample:
            if field.required:
                raise MissingExample(
                    f"{type(schema).__name__}.{name}: a required field needs "
                    "metadata={'example': ...}") from None
    return body
