"""Orders: customers place and cancel their own; partners with orders:read list all."""
from flask.views import MethodView

from api import http_cache, idempotency
from api.idempotency import json_response
from api.orders.schemas import (
    CancelSchema, OrderCreateSchema, OrderListSchema, OrderQueryArgsSchema, OrderSchema,
)
from api.orders.serialize import order_dict, order_to_dict, page_json
from api.security import current_principal
from api.smorest import Blueprint
from app.core.errors import NotFound
from app.orders import queries
from app.orders import service as orders

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Orders")


@blp.route("")
class Orders(MethodView):
    @blp.auth(user=True, scopes=("orders:read",))
    @blp.arguments(OrderQueryArgsSchema, location="query")
    @blp.response(200, OrderListSchema)
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Malformed cursor or filters")
    def get(self, args):
        """Newest first; follow `next_cursor` for the next page (keyset: deep pages stay fast).
        Customers see their own orders; partners (orders:read) see all."""
        page = queries.list_orders(
            customer_id=current_principal().actor.customer_scope, status=args.get("status"),
            created_from=args.get("created_from"), created_to=args.get("created_to"),
            cursor=args.get("cursor"), limit=args["limit"])
        return http_cache.conditional(http_cache.etag_of_rows([page.orders, page.next_cursor]),
                                      lambda: page_json(page))

    @blp.auth(user=True)
    @blp.arguments(OrderCreateSchema)
    @blp.idempotent
    @blp.response(201, OrderSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Not enough stock, or the same Idempotency-Key is in flight")
    def post(self, data):
        """Place an order at catalogue prices; stock is reserved at once. Send an
        Idempotency-Key to retry safely."""
        principal = current_principal()
        payload = {**data, "lines": [{**line, "product_id": str(line["product_id"])}
                                     for line in data["lines"]]}
        return idempotency.run(
            principal.actor.ref, "orders.create", payload,
            lambda: orders.place(principal.user.id, payload["lines"], data["shipping_address"],
                                 data.get("billing_address"), actor=principal.actor),
            order_to_dict)


@blp.route("/<order_id>")
class OrderItem(MethodView):
    @blp.auth(user=True, scopes=("orders:read",))
    @blp.response(200, OrderSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such order (or not yours)")
    def get(self, order_id):
        """One order with its lines."""
        found = queries.get_order(order_id,
                                  customer_id=current_principal().actor.customer_scope)
        if found is None:
            raise NotFound("Order not found.")
        return json_response(order_dict(*found), 200)


@blp.route("/<order_id>/cancel", methods=["POST"])
@blp.auth(user=True)
@blp.arguments(CancelSchema)
@blp.response(200, OrderSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such order (or not yours)")
@blp.alt_response(409, response="DEFAULT_ERROR", description="No longer cancellable")
def cancel(data, order_id):
    """Cancel an unpaid order; its stock returns to the catalogue."""
    order = orders.cancel(order_id, actor=current_principal().actor, reason=data["reason"])
    return json_response(order_to_dict(order), 200)
