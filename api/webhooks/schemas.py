import marshmallow as ma

from api.schemas import CursorPageSchema, PageArgsSchema, Schema, email_field
from app.webhooks.types import NAMES, TEST_TYPE



def event_types_field(**kwargs):
    return ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(NAMES),
                         metadata={"description": "A public event type", "enum": list(NAMES)}),
        validate=ma.validate.Length(min=1, max=len(NAMES)),
        metadata={"description": "The event types sent to this endpoint (order events need "
                                 "the key's orders:read scope, invoice events invoices:read)"},
        **kwargs)


URL_DOC = ("Where events are POSTed: https (http only outside production); no credentials "
           "in it (user info, or query parameters named like secret, token or key); private, "
           "loopback and link-local addresses are refused")


def _desc(text: str) -> dict:
    return {"description": text}


class WebhookEndpointCreateSchema(Schema):
    url = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048),
                           metadata=_desc(URL_DOC))
    event_types = event_types_field(required=True)
    contact_email = email_field(required=True, metadata=_desc(
        "Who we write to when this endpoint is disabled after 3 days of failures"))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=200),
                                   metadata=_desc("Free text for your own reference"))
    enabled = ma.fields.Boolean(load_default=True, metadata=_desc(
        "Whether events are sent to it (false pauses it)"))


class WebhookEndpointUpdateSchema(Schema):
    url = ma.fields.String(validate=ma.validate.Length(min=1, max=2048), metadata=_desc(URL_DOC))
    event_types = event_types_field()
    contact_email = email_field(metadata=_desc("Who we write to when this endpoint is disabled"))
    description = ma.fields.String(validate=ma.validate.Length(max=200),
                                   metadata=_desc("Free text for your own reference"))
    enabled = ma.fields.Boolean(metadata=_desc(
        "true enables it again (also after we disabled it), false pauses it"))


class WebhookEndpointSchema(Schema):
    id = ma.fields.UUID(metadata=_desc("The endpoint's id"))
    url = ma.fields.String(metadata=_desc("Where events are POSTed"))
    event_types = ma.fields.List(ma.fields.String(metadata=_desc("A public event type")),
                                 metadata=_desc("The event types sent to this endpoint"))
    contact_email = ma.fields.String(metadata=_desc("Who is told when it is disabled"))
    description = ma.fields.String(metadata=_desc("Free text for your own reference"))
    enabled = ma.fields.Boolean(metadata=_desc("Whether events are sent to it"))
    disabled_reason = ma.fields.String(allow_none=True, metadata=_desc(
        "Why it is disabled (null when enabled)"))
    disabled_at = ma.fields.AwareDateTime(allow_none=True, metadata=_desc(
        "When it was disabled (UTC)"))
    previous_secret_valid_until = ma.fields.AwareDateTime(allow_none=True, metadata=_desc(
        "Until when events are also signed with the secret replaced by the last rotation"))
    created_at = ma.fields.AwareDateTime(metadata=_desc("When it was created (UTC)"))
    updated_at = ma.fields.AwareDateTime(metadata=_desc("When it last changed (UTC)"))


class WebhookEndpointSecretSchema(WebhookEndpointSchema):
    secret = ma.fields.String(metadata=_desc(
        "The signing secret (whsec_...). Shown only in this response: store it now"))


class WebhookEndpointListSchema(Schema):
    data = ma.fields.List(ma.fields.Nested(WebhookEndpointSchema), required=True,
                          metadata=_desc("Your endpoints, oldest first"))


class WebhookAttemptSchema(Schema):
    number = ma.fields.Integer(metadata=_desc("1 for the first attempt"))
    started_at = ma.fields.AwareDateTime(metadata=_desc("When the request was sent (UTC)"))
    duration_ms = ma.fields.Integer(metadata=_desc("Until the answer, in milliseconds"))
    response_status = ma.fields.Integer(allow_none=True, metadata=_desc(
        "Your HTTP status (null when no answer came)"))
    response_excerpt = ma.fields.String(metadata=_desc(
        "The first 2 KB of your answer's body, control characters escaped"))
    error = ma.fields.String(allow_none=True, metadata=_desc(
        "What failed (timeout, connection, HTTP status); null on success"))
    next_retry_at = ma.fields.AwareDateTime(allow_none=True, metadata=_desc(
        "When the next attempt is due (null: none follows)"))


class WebhookDeliverySchema(Schema):
    id = ma.fields.UUID(metadata=_desc("The delivery's id (the Webhook-Delivery header)"))
    event_id = ma.fields.UUID(metadata=_desc("The event's id (the Webhook-Id header)"))
    event_type = ma.fields.String(metadata=_desc("The event's type"))
    endpoint_id = ma.fields.UUID(metadata=_desc("The endpoint it goes to"))
    kind = ma.fields.String(metadata={"description": "Why it was sent",
                                      "enum": ["event", "test", "replay"]})
    status = ma.fields.String(metadata={
        "description": "pending (waiting for an attempt), sending, succeeded, failed",
        "enum": ["pending", "sending", "succeeded", "failed"]})
    attempt_count = ma.fields.Integer(metadata=_desc("Attempts made so far"))
    next_attempt_at = ma.fields.AwareDateTime(allow_none=True, metadata=_desc(
        "When the next attempt is due (UTC)"))
    last_status_code = ma.fields.Integer(allow_none=True, metadata=_desc(
        "Your HTTP status at the last attempt"))
    last_error = ma.fields.String(allow_none=True, metadata=_desc("The last attempt's error"))
    created_at = ma.fields.AwareDateTime(metadata=_desc("When it was created (UTC)"))
    completed_at = ma.fields.AwareDateTime(allow_none=True, metadata=_desc(
        "When it succeeded or was given up (UTC)"))
    request_body = ma.fields.String(metadata=_desc("The exact JSON body sent (and signed)"))
    attempts = ma.fields.List(ma.fields.Nested(WebhookAttemptSchema),
                              metadata=_desc("Every attempt, first first"))


class WebhookDeliveryListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(WebhookDeliverySchema), required=True,
                          metadata=_desc("Deliveries, newest first"))


class WebhookEventQueryArgsSchema(PageArgsSchema):
    type = ma.fields.String(validate=ma.validate.OneOf(NAMES), metadata={
        "description": "Only events of this type", "enum": list(NAMES)})
    object_id = ma.fields.String(validate=ma.validate.Length(max=64), metadata=_desc(
        "Only events about this object (an order's or invoice's id)"))


class WebhookEventSchema(Schema):
    id = ma.fields.UUID(metadata=_desc("The event's id; a replay sends the same"))
    type = ma.fields.String(metadata={"description": "The event's type",
                                      "enum": [*NAMES, TEST_TYPE]})
    object_id = ma.fields.String(metadata=_desc("The id of the object it is about"))
    sequence = ma.fields.Integer(metadata=_desc(
        "Per object, increasing in the order the changes happened: order events by it"))
    created_at = ma.fields.AwareDateTime(metadata=_desc("When it happened (UTC)"))
    payload = ma.fields.Dict(metadata=_desc(
        "The body as sent: id, type, created, api_version, sequence, data.object"))


class WebhookEventListSchema(CursorPageSchema):
    data = ma.fields.List(ma.fields.Nested(WebhookEventSchema), required=True,
                          metadata=_desc("Events, newest first"))


class ReplaySchema(Schema):
    event_id = ma.fields.UUID(required=True, metadata=_desc(
        "The event to send again, with its id and body unchanged"))
