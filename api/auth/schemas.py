import marshmallow as ma

from api.schemas import Schema, email_field, password_field


_EMAIL = {"description": "The account's email address", "example": "ada@example.com"}
_PASSWORD = {"description": "The password (1-256 characters)", "example": "correct horse battery"}
_TIMESTAMP = "RFC 3339 timestamp (UTC) when the token expires"


class RegisterSchema(Schema):
    email = email_field(required=True, metadata=_EMAIL)
    password = password_field(required=True, metadata=_PASSWORD)
    full_name = ma.fields.String(validate=ma.validate.Length(max=200), load_default="",
                                 metadata={"description": "Name shown on orders and invoices",
                                           "example": "Ada Lovelace"})


class LoginSchema(Schema):
    email = email_field(required=True, metadata=_EMAIL)
    password = password_field(required=True, metadata=_PASSWORD)


class RefreshSchema(Schema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                                     metadata={"description": "The refresh token from login "
                                                              "or the last refresh",
                                               "example": "rt_8f3c2a9d0b1e4f67a5c3"})


class TokenSchema(Schema):
    token_type = ma.fields.String(required=True, metadata={
        "description": "Always `Bearer`: send `Authorization: Bearer <access_token>`",
        "example": "Bearer"})
    access_token = ma.fields.String(required=True, metadata={
        "description": "Short-lived JWT for the Authorization header",
        "example": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzZmE4NWY2NCJ9.c2lnbmF0dXJl"})
    access_expires_at = ma.fields.AwareDateTime(required=True, metadata={
        "description": _TIMESTAMP, "example": "2026-03-01T09:45:00+00:00"})
    refresh_token = ma.fields.String(required=True, metadata={
        "description": "Single-use token for /auth/refresh (rotated on every use)",
        "example": "rt_8f3c2a9d0b1e4f67a5c3"})
    refresh_expires_at = ma.fields.AwareDateTime(required=True, metadata={
        "description": _TIMESTAMP, "example": "2026-03-31T09:30:00+00:00"})


class TokenOnlySchema(Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000),
                             metadata={"description": "The token from the emailed link",
                                       "example": "InVzZXIiOiIzZmE4NWY2NCJ9.ZfA1bQ.kq9"})


class PasswordResetRequestSchema(Schema):
    email = email_field(required=True, metadata=_EMAIL)


class PasswordResetConfirmSchema(Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000),
                             metadata={"description": "The token from the emailed link",
                                       "example": "InVzZXIiOiIzZmE4NWY2NCJ9.ZfA1bQ.kq9"})
    password = password_field(required=True, metadata={
        "description": "The new password (1-256 characters)", "example": "a new passphrase"})


class WhoAmISchema(Schema):
    kind = ma.fields.String(required=True, metadata={"description": "user or apikey",
                                                     "example": "apikey"})
    id = ma.fields.UUID(required=True, metadata={"description": "The user's or key's id"})
    label = ma.fields.String(required=True, metadata={
        "description": "The user's email, or the key's name", "example": "Acme catalogue sync"})
    scopes = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "The key's scopes (empty for a user)", "example": ["catalog:write"]})
