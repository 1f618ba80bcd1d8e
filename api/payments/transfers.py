"""Bank transfers received: partners with payments:write record them (finance records
them in the back office through the same service); applied when they pay an open
invoice or unpaid order exactly, otherwise held for finance's review."""
from __future__ import annotations

import orjson
from flask import current_app, request
from flask.views import MethodView

from api import idempotency
from api.idempotency import json_response
from api.payments.serialize import bank_transfer_to_dict
from api.payments.transfer_schemas import (BankTransferCreateSchema, BankTransferListSchema,
                                           BankTransferQueryArgsSchema, BankTransferSchema)
from api.security import current_principal
from api.smorest import Blueprint
from app.payments import transfers

blp = Blueprint("bank_transfers", __name__, url_prefix="/api/v1/payments/bank-transfers",
                description="Bank transfers received")

READ, WRITE = ("payments:read",), ("payments:write",)


@blp.route("", tags=["bank_transfers"])
class BankTransfers(MethodView):
    @blp.auth(scopes=READ)
    @blp.arguments(BankTransferQueryArgsSchema, location="query")
    @blp.response(200, BankTransferListSchema)
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Malformed cursor or filters")
    def get(self, args):
        """Newest first; follow `next_cursor` (keyset pages). `status=held`: the
        transfers waiting for finance."""
        found, cursor = transfers.list_transfers(status=args.get("status"),
                                                 cursor=args.get("cursor"), limit=args["limit"])
        body = {"data": [bank_transfer_to_dict(t) for t in found],
                "has_more": cursor is not None, "next_cursor": cursor}
        return current_app.response_class(orjson.dumps(body), mimetype="application/json")

    @blp.auth(scopes=WRITE)
    @blp.arguments(BankTransferCreateSchema)
    @blp.idempotent
    @blp.response(201, BankTransferSchema)
    @blp.alt_response(422, response="DEFAULT_ERROR", description="Not valid (unknown "
                      "currency, or the Idempotency-Key was reused with another body)")
    @blp.alt_response(409, response="DEFAULT_ERROR",
                      description="The same Idempotency-Key is in flight")
    def post(self, data):
        """Record a transfer received. When its reference names an open invoice (its
        number) or an unpaid order (its id) and its currency and amount equal the open
        balance, it is `applied`: the invoice (and order, with a `bank_transfer` payment)
        are paid in the same transaction. Anything else is `held` with the reason for
        finance: never applied blindly, never split (no partial payments). Send an
        Idempotency-Key: a retry returns the same transfer."""
        actor = current_principal().actor
        transfer_id = transfers.transfer_id_for(actor.ref, request.headers.get(idempotency.HEADER))
        payload = {**data, "value_date": data["value_date"].isoformat()}
        return idempotency.run(
            actor.ref, "payments.bank_transfer", payload,
            lambda: transfers.record(transfer_id, actor=actor, **data), bank_transfer_to_dict)


@blp.route("/<transfer_id>", tags=["bank_transfers"])
class BankTransferItem(MethodView):
    @blp.auth(scopes=READ)
    @blp.response(200, BankTransferSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such bank transfer")
    def get(self, transfer_id):
        """One bank transfer: whether it was applied, held (and why) or returned."""
        return json_response(bank_transfer_to_dict(transfers.get(transfer_id)), 200)
