import marshmallow as ma

from api.schemas import Schema, password_field


class UserSchema(Schema):
    id = ma.fields.UUID(dump_only=True, metadata={"description": "The user's id"})
    email = ma.fields.String(dump_only=True, metadata={"description": "Login email address",
                                                       "example": "ada@example.com"})
    full_name = ma.fields.String(metadata={"description": "Name shown on orders and invoices",
                                           "example": "Ada Lovelace"})
    phone = ma.fields.String(allow_none=True, metadata={
        "description": "Phone number, digits with optional +, spaces, () and -",
        "example": "+49 30 1234567"})
    country = ma.fields.String(allow_none=True, metadata={
        "description": "ISO 3166-1 alpha-2 country code", "example": "DE"})
    email_verified = ma.fields.Boolean(dump_only=True, metadata={
        "description": "Whether the email address was confirmed", "example": True})
    is_active = ma.fields.Boolean(dump_only=True, metadata={
        "description": "False once the account is deactivated", "example": True})
    created_at = ma.fields.AwareDateTime(dump_only=True, metadata={
        "description": "RFC 3339 timestamp (UTC) of registration"})
    updated_at = ma.fields.AwareDateTime(dump_only=True, metadata={
        "description": "RFC 3339 timestamp (UTC) of the last change"})


class UserUpdateSchema(Schema):
    full_name = ma.fields.String(validate=ma.validate.Length(max=200), metadata={
        "description": "Name shown on orders and invoices", "example": "Ada Lovelace"})
    phone = ma.fields.String(allow_none=True,
                             validate=ma.validate.Regexp(r"^\+?[0-9 ()-]{5,31}$"),
                             metadata={"description": "Phone number; null removes it",
                                       "example": "+49 30 1234567"})
    country = ma.fields.String(allow_none=True,
                               validate=ma.validate.Regexp(r"^[A-Za-z]{2}$",
                                                           error="ISO 3166-1 alpha-2 code."),
                               metadata={"description": "ISO 3166-1 alpha-2 country code",
                                         "example": "DE"})


class PasswordChangeSchema(Schema):
    current_password = password_field(required=True, metadata={
        "description": "The password in use now", "example": "correct horse battery"})
    new_password = password_field(required=True, metadata={
        "description": "The new password (1-256 characters)", "example": "a new passphrase"})


class PhoneSchema(Schema):
    phone = ma.fields.String(dump_only=True, allow_none=True, metadata={
        "description": "The number SMS go to, E.164", "example": "+49301234567"})
    verified = ma.fields.Boolean(dump_only=True, metadata={
        "description": "Proved by the code sent to it", "example": True})
    sms_opt_in = ma.fields.Boolean(dump_only=True, metadata={
        "description": "Whether order and payment SMS are wanted (needs a verified number)",
        "example": False})


class PhoneSetSchema(Schema):
    phone = ma.fields.String(required=True, validate=ma.validate.Length(max=40), metadata={
        "description": "International number; a 6-digit code is sent to it by SMS",
        "example": "+49 30 1234567"})


class PhoneConfirmSchema(Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^\s*[0-9]{6}\s*$"),
                            metadata={"description": "The code received by SMS",
                                      "example": "123456"})


class SmsOptInSchema(Schema):
    sms_opt_in = ma.fields.Boolean(required=True, metadata={
        "description": "Receive order and payment SMS", "example": True})
