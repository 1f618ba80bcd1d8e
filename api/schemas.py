"""Schema base: unknown fields are an error, not silently dropped; text never carries
NUL characters (PostgreSQL cannot store them, SQLite would: refuse them up front)."""
from collections.abc import Mapping

import marshmallow as ma

NUL_MESSAGE = "Must not contain NUL characters."


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load
    def _reject_nul_characters(self, data, **kwargs):
        if isinstance(data, Mapping):
            bad = {str(key): [NUL_MESSAGE] for key, value in data.items()
                   if _has_nul(key) or _has_nul(value)}
            if bad:
                raise ma.ValidationError(bad)
        return data


def email_field(**kwargs):
    # Validated and normalised by the domain (app.core.emails); `format` documents it.
    metadata = {"format": "email", **kwargs.pop("metadata", {})}
    return ma.fields.String(validate=ma.validate.Length(min=3, max=254), metadata=metadata,
                            **kwargs)


def password_field(**kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=256), load_only=True, **kwargs)
