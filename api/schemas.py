"""Schema base: unknown fields are an error, not silently dropped."""
import marshmallow as ma


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True


def email_field(**kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=3, max=254), **kwargs)


def password_field(**kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=256), load_only=True, **kwargs)
