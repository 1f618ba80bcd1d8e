"""Webhooks: partners (API key with webhooks:write; reads need webhooks:read) manage
their own endpoints, read the delivery log, send a test event and replay events.

Every request we send carries ``Webhook-Signature: t=<unix>,v1=<hex>``: hex is
HMAC-SHA256 with the endpoint's secret over ``f"{t}.{raw body}"`` (Stripe's scheme).
After a secret rotation both the new and the old secret sign (two ``v1=``) for 24 hours.
"""
from flask.views import MethodView

from api.security import current_principal
from api.smorest import Blueprint
from api.webhooks import examples
from api.webhooks.schemas import (
    PageArgsSchema, ReplaySchema, WebhookDeliveryListSchema, WebhookDeliverySchema,
    WebhookEndpointCreateSchema, WebhookEndpointListSchema, WebhookEndpointSchema,
    WebhookEndpointSecretSchema, WebhookEndpointUpdateSchema, WebhookEventListSchema,
    WebhookEventQueryArgsSchema, WebhookEventSchema,
)
from api.webhooks.serialize import delivery_dict, endpoint_dict, event_dict
from app.webhooks import queries, service

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Signed outbound webhooks: " + __doc__.split("\n\n", 1)[1])

READ, WRITE = ("webhooks:read",), ("webhooks:write",)
NOT_FOUND = {"response": "DEFAULT_ERROR", "description": "No such endpoint (or not yours)"}


def _actor():
    return current_principal().actor


def _delivery(delivery):
    event = queries.events_of([delivery.event_id])[delivery.event_id]
    return delivery_dict(delivery, event, queries.attempts_of([delivery.id])[delivery.id])


@blp.route("/endpoints")
class WebhookEndpoints(MethodView):
    @blp.auth(scopes=READ)
    @blp.response(200, WebhookEndpointListSchema, example=examples.ENDPOINT_LIST)
    def get(self):
        """Your endpoints (the secrets are never shown again)."""
        return {"data": [endpoint_dict(e) for e in queries.endpoints(_actor())]}

    @blp.auth(scopes=WRITE)
    @blp.arguments(WebhookEndpointCreateSchema, example=examples.ENDPOINT_CREATE)
    @blp.response(201, WebhookEndpointSecretSchema, example=examples.ENDPOINT_CREATED)
    def post(self, data):
        """Register an endpoint. The response holds its signing secret, shown only once."""
        endpoint, secret = service.create(actor=_actor(), **data)
        return endpoint_dict(endpoint, secret)


@blp.route("/endpoints/<endpoint_id>")
class WebhookEndpointItem(MethodView):
    @blp.auth(scopes=READ)
    @blp.response(200, WebhookEndpointSchema, example=examples.ENDPOINT)
    @blp.alt_response(404, **NOT_FOUND)
    def get(self, endpoint_id):
        """One endpoint."""
        return endpoint_dict(service.visible(endpoint_id, _actor()))

    @blp.auth(scopes=WRITE)
    @blp.arguments(WebhookEndpointUpdateSchema, example=examples.ENDPOINT_UPDATE)
    @blp.response(200, WebhookEndpointSchema, example=examples.ENDPOINT)
    @blp.alt_response(404, **NOT_FOUND)
    def patch(self, data, endpoint_id):
        """Change the URL, the event types, or enable (also after we disabled it) or pause."""
        return endpoint_dict(service.update_endpoint(endpoint_id, data, actor=_actor()))

    @blp.auth(scopes=WRITE)
    @blp.response(204)
    @blp.alt_response(404, **NOT_FOUND)
    def delete(self, endpoint_id):
        """Delete an endpoint: nothing more is sent to it."""
        service.delete(endpoint_id, actor=_actor())


def _item_action(rule: str, operation_id: str, scopes, status: int, schema, example,
                 methods=("POST",)):
    """An operation on one endpoint: auth, its answer and the 404, documented once."""
    def decorate(func):
        for decorator in (blp.alt_response(404, **NOT_FOUND),
                          blp.response(status, schema, example=example),
                          blp.auth(scopes=scopes), blp.doc(operationId=operation_id),
                          blp.route(f"/endpoints/<endpoint_id>/{rule}", methods=list(methods))):
            func = decorator(func)
        return func
    return decorate


def _page(items: list, cursor: str | None) -> dict:
    return {"data": items, "has_more": cursor is not None, "next_cursor": cursor}


@_item_action("rotate-secret", "rotateWebhookSecret", WRITE, 200, WebhookEndpointSecretSchema,
              examples.ENDPOINT_ROTATED)
def rotate_secret(endpoint_id):
    """A new signing secret, shown only in this response. The old one keeps signing too
    (a second `v1=`) for 24 hours, so you can switch receivers without losing events."""
    endpoint, secret = service.rotate_secret(endpoint_id, actor=_actor())
    return endpoint_dict(endpoint, secret)


@_item_action("deliveries", "listWebhookDeliveries", READ, 200, WebhookDeliveryListSchema,
              examples.DELIVERY_LIST, methods=("GET",))
@blp.arguments(PageArgsSchema, location="query")
def deliveries(args, endpoint_id):
    """The delivery log, newest first: each attempt's status, answer excerpt, duration,
    error and next retry."""
    rows, attempts, events, cursor = queries.deliveries(
        endpoint_id, actor=_actor(), cursor=args.get("cursor"), limit=args["limit"])
    return _page([delivery_dict(d, events[d.event_id], attempts[d.id]) for d in rows], cursor)


@_item_action("test", "sendWebhookTest", WRITE, 202, WebhookDeliverySchema, examples.DELIVERY)
def send_test(endpoint_id):
    """Send a `webhook.test` event to this endpoint now (also when disabled; not retried)."""
    return _delivery(service.send_test(endpoint_id, actor=_actor()))


@_item_action("replay", "replayWebhookEvent", WRITE, 202, WebhookDeliverySchema,
              examples.DELIVERY)
@blp.arguments(ReplaySchema, example=examples.REPLAY)
@blp.alt_response(404, response="DEFAULT_ERROR",
                  description="No such endpoint, or no such event your key may see")
def replay(data, endpoint_id):
    """Send a past event again to this endpoint: the same id and body, signed anew."""
    return _delivery(service.replay(endpoint_id, data["event_id"], actor=_actor()))


@blp.route("/events")
class WebhookEvents(MethodView):
    @blp.auth(scopes=READ)
    @blp.arguments(WebhookEventQueryArgsSchema, location="query")
    @blp.response(200, WebhookEventListSchema, example=examples.EVENT_LIST)
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Malformed cursor or filters")
    def get(self, args):
        """Events newest first (the types your key's scopes cover), for replays and audits."""
        rows, cursor = queries.events(actor=_actor(), type_name=args.get("type"),
                                      object_id=args.get("object_id"),
                                      cursor=args.get("cursor"), limit=args["limit"])
        return _page([event_dict(e) for e in rows], cursor)


@blp.route("/events/<event_id>")
class WebhookEventItem(MethodView):
    @blp.auth(scopes=READ)
    @blp.response(200, WebhookEventSchema, example=examples.EVENT)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such event")
    def get(self, event_id):
        """One event, with its body as sent."""
        return event_dict(service.visible_event(event_id, _actor()))
