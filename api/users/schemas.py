import marshmallow as ma

from api.schemas import Schema, password_field


class UserSchema(Schema):
    id = ma.fields.UUID(dump_only=True)
    email = ma.fields.String(dump_only=True)
    full_name = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    country = ma.fields.String(allow_none=True)
    email_verified = ma.fields.Boolean(dump_only=True)
    is_active = ma.fields.Boolean(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class UserUpdateSchema(Schema):
    full_name = ma.fields.String(validate=ma.validate.Length(max=200))
    phone = ma.fields.String(allow_none=True,
                             validate=ma.validate.Regexp(r"^\+?[0-9 ()-]{5,31}$"))
    country = ma.fields.String(allow_none=True,
                               validate=ma.validate.Regexp(r"^[A-Za-z]{2}$",
                                                           error="ISO 3166-1 alpha-2 code."))


class PasswordChangeSchema(Schema):
    current_password = password_field(required=True)
    new_password = password_field(required=True)
