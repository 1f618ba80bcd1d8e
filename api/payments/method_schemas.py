"""Saved payment methods as apps see them: masked (brand, last 4 digits, expiry)."""
import marshmallow as ma

from api.schemas import CursorPageSchema, PageArgsSchema, Schema

METHOD_ID = "1d6f2a4b-8c3e-5f70-9a1b-2c3d4e5f6a7b"


class SavedPaymentMethodCreateSchema(Schema):
    payment_method = ma.fields.String(required=True, validate=ma.validate.Length(min=4, max=255),
                                      metadata={"description": "The Stripe PaymentMethod id "
                                                               "(pm_...) the confirmed "
                                                               "SetupIntent names",
                                                "example": "pm_1Nq2XyAbCdEf"})


class SavedPaymentMethodSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "Our id: send it as `payment_method_id` "
                                                 "to `POST /payments`", "example": METHOD_ID})
    object = ma.fields.String(metadata={"description": "Always `payment_method`"})
    type = ma.fields.String(metadata={"description": "Always `card`"})
    gateway = ma.fields.String(metadata={"description": "Where it is kept (`stripe`)"})
    brand = ma.fields.String(metadata={"description": "Card brand as the gateway names it",
                                       "example": "visa"})
    last4 = ma.fields.String(metadata={"description": "The last four digits (never more)",
                                       "example": "4242"})
    exp_month = ma.fields.Integer(metadata={"description": "Expiry month, 1 to 12",
                                            "example": 12})
    exp_year = ma.fields.Integer(metadata={"description": "Expiry year, four digits",
                                           "example": 2030})
    created_at = ma.fields.AwareDateTime(metadata={"description": "When it was saved (UTC)"})


class SavedPaymentMethodListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(SavedPaymentMethodSchema), required=True,
                          metadata={"description": "Newest first; removed cards are not listed"})


class SavedPaymentMethodQueryArgsSchema(PageArgsSchema):
    pass


class SetupIntentSchema(Schema):
    id = ma.fields.String(metadata={"description": "Stripe's SetupIntent id",
                                    "example": "seti_1Nq2XyAbCdEf"})
    object = ma.fields.String(metadata={"description": "Always `setup_intent`"})
    client_secret = ma.fields.String(metadata={
        "description": "What Stripe.js confirms the card with (`confirmCardSetup`); then "
                       "save the PaymentMethod it names with `POST "
                       "/customers/me/payment-methods`",
        "example": "seti_1Nq2XyAbCdEf_secret_k9s8"})
    status = ma.fields.String(metadata={"description": "Stripe's status "
                                                       "(requires_payment_method at first)",
                                        "example": "requires_payment_method"})
