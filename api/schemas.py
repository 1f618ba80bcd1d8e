"""Schema base: unknown fields are an error, not silently dropped. Text hygiene (no NUL,
control characters or lone surrogates) is checked on the whole request before any
schema runs: api/parser.py, with app.core.text's rule."""
import re

import marshmallow as ma

# Minor units as a client types them: ASCII digits, at most 18 (64-bit amount columns).
# Stricter than int(), which also takes '1_000', ' 12 ' and non-ASCII digits.
_AMOUNT = re.compile(r"-?[0-9]{1,18}")
AMOUNT_MESSAGE = "Not an amount: integer minor units, e.g. 1999."


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True


class CursorPageSchema(Schema):
    """A keyset page: ``data`` (declared by each list) newest first, and how to go on."""
    has_more = ma.fields.Boolean(required=True, metadata={
        "description": "Whether another page follows", "example": True})
    next_cursor = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "Pass as `cursor` for the next page; null on the last",
        "example": "eyJjIjoiMjAyNi0wMy0wMVQwOTozMDowMCIsImkiOiIzZmE4In0"})


class PageArgsSchema(Schema):
    """What a keyset list takes besides its filters."""
    cursor = ma.fields.String(validate=ma.validate.Length(max=200), metadata={
        "description": "The `next_cursor` of the page before, with the same filters"})
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200),
                              metadata={"description": "Items per page, 1 to 200"})


def email_field(**kwargs):
    # Validated and normalised by the domain (app.core.emails); `format` documents it.
    metadata = {"format": "email", **kwargs.pop("metadata", {})}
    return ma.fields.String(validate=ma.validate.Length(min=3, max=254), metadata=metadata,
                            **kwargs)


def password_field(**kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=256), load_only=True, **kwargs)


class AmountFilter(ma.fields.Integer):
    """An amount filter in the query string (minor units). One that does not parse is a
    400 naming the field, answered by api/parser.py before the schema runs (the issue
    "Money you can trust"); a parsed one out of range stays a 422 (its validators)."""

    default_error_messages = {"invalid": AMOUNT_MESSAGE}

    @staticmethod
    def parses(text: str) -> bool:
        return _AMOUNT.fullmatch(text) is not None

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not self.parses(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)
