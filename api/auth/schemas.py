import marshmallow as ma

from api.schemas import Schema, email_field, password_field


class RegisterSchema(Schema):
    email = email_field(required=True)
    password = password_field(required=True)
    full_name = ma.fields.String(validate=ma.validate.Length(max=200), load_default="")


class LoginSchema(Schema):
    email = email_field(required=True)
    password = password_field(required=True)


class RefreshSchema(Schema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token_type = ma.fields.String(required=True)
    access_token = ma.fields.String(required=True)
    access_expires_at = ma.fields.AwareDateTime(required=True)
    refresh_token = ma.fields.String(required=True)
    refresh_expires_at = ma.fields.AwareDateTime(required=True)


class TokenOnlySchema(Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class PasswordResetRequestSchema(Schema):
    email = email_field(required=True)


class PasswordResetConfirmSchema(Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))
    password = password_field(required=True)


class WhoAmISchema(Schema):
    kind = ma.fields.String(required=True, metadata={"description": "user or apikey"})
    id = ma.fields.UUID(required=True)
    label = ma.fields.String(required=True)
    scopes = ma.fields.List(ma.fields.String(), required=True)
