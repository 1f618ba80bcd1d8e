"""A FAKE PayPal REST API for the tests (http.server in a thread, on a free port).

Why a fake: no PayPal sandbox is reachable from here (no network but the package
registries), and PayPal ships no local server. So this implements, statefully, the
endpoints app.payments.paypal_gateway uses, with PayPal's documented request and
response bodies (Orders v2, Payments v2, Notifications v1):

- POST /v1/oauth2/token                     client credentials (HTTP Basic) -> bearer token
- POST /v2/checkout/orders                  intent CAPTURE -> CREATED with the `approve` link
- GET  /v2/checkout/orders/{id}             the order, its captures and refunds
- POST /v2/checkout/orders/{id}/capture     APPROVED -> COMPLETED with a capture;
                                            422 ORDER_NOT_APPROVED / ORDER_ALREADY_CAPTURED
- POST /v2/payments/captures/{id}/refund    partial or full; 422 REFUND_AMOUNT_EXCEEDED
- POST /v1/notifications/verify-webhook-signature   SUCCESS | FAILURE

POSTs honour `PayPal-Request-Id` as PayPal documents it (the same id answers the first
result). What PayPal does elsewhere is simulated by helpers: ``approve`` (the buyer
approves at the link), ``webhook`` (an event and its transmission headers; the real
signature is RSA with PayPal's certificate, here an HMAC only this fake checks, since
verification is PayPal's job through the API either way), ``fail_next`` (500s),
``tamper`` (a capture amount changed at PayPal, for reconciliation).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "paypal-test-client"
CLIENT_SECRET = "paypal-test-secret"
WEBHOOK_ID = "1JE4291016473214C"
_SIGNING_KEY = b"fake-paypal-transmission-key"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _id(prefix: str = "") -> str:
    return (prefix + uuid.uuid4().hex.upper())[:17]


def _signature(transmission_id: str, time: str, webhook_id: str, event: dict) -> str:
    message = f"{transmission_id}|{time}|{webhook_id}|{json.dumps(event, sort_keys=True)}"
    return base64.b64encode(hmac.new(_SIGNING_KEY, message.encode(), hashlib.sha256)
                            .digest()).decode()


def _unprocessable(issue: str, description: str) -> tuple[int, dict]:
    return 422, {"name": "UNPROCESSABLE_ENTITY", "debug_id": _id(),
                 "message": "The requested action could not be performed, semantically "
                            "incorrect, or failed business validation.",
                 "details": [{"issue": issue, "description": description}]}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        fake: FakePayPal = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with fake.lock:
            fake.seen.append((self.command, self.path.split("?")[0]))
            if fake.failures_left > 0:
                fake.failures_left -= 1
                return self._reply(500, {"name": "INTERNAL_SERVER_ERROR", "debug_id": _id(),
                                         "message": "An internal server error occurred."})
            if self.path == "/v1/oauth2/token":
                return self._reply(*fake.token(self.headers.get("Authorization"), raw))
            if self.headers.get("Authorization") not in fake.tokens:
                return self._reply(401, {"error": "invalid_token",
                                         "error_description": "Token signature verification failed"})
            body = json.loads(raw) if raw else {}
            request_id = self.headers.get("PayPal-Request-Id")
            if self.command == "POST" and request_id and request_id in fake.answers:
                status, answer = fake.answers[request_id]
                return self._reply(200 if status == 201 else status, answer)
            status, answer = fake.route(self.command, self.path.split("?")[0], body)
            if self.command == "POST" and request_id and status < 300:  # successes only
                fake.answers[request_id] = (status, answer)
        return self._reply(status, answer)

    do_GET = do_POST = _handle


class FakePayPal:
    def __init__(self):
        self.lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.orders: dict[str, dict] = {}
            self.captures: dict[str, str] = {}  # capture id -> order id
            self.answers: dict[str, tuple[int, dict]] = {}
            self.tokens: set[str] = set()
            self.seen: list[tuple[str, str]] = []
            self.failures_left = 0
            self.refund_status = "COMPLETED"  # PENDING: settled later (e.g. an eCheck)
            self.created: list[dict] = []  # the create-order bodies, as sent
            self.capture_status = "COMPLETED"  # DECLINED: the buyer's funding failed

    def start(self) -> "FakePayPal":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the API ---------------------------------------------------------------------
    def token(self, authorization: str | None, raw: bytes) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != expected or b"grant_type=client_credentials" not in raw:
            return 401, {"error": "invalid_client",
                         "error_description": "Client Authentication failed"}
        token = f"A21AA{uuid.uuid4().hex}"
        self.tokens.add(f"Bearer {token}")
        return 200, {"scope": "https://uri.paypal.com/services/payments/payment",
                     "access_token": token, "token_type": "Bearer", "app_id": "APP-80W284485P519543T",
                     "expires_in": 32400, "nonce": _now() + uuid.uuid4().hex}

    def route(self, method: str, path: str, body: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v2/checkout/orders":
            return self._create(body)
        if parts[:3] == ["v2", "checkout", "orders"] and len(parts) >= 4:
            order = self.orders.get(parts[3])
            if order is None:
                return 404, {"name": "RESOURCE_NOT_FOUND", "debug_id": _id(),
                             "message": "The specified resource does not exist.",
                             "details": [{"issue": "INVALID_RESOURCE_ID"}]}
            if method == "GET" and len(parts) == 4:
                return 200, order
            if method == "POST" and parts[4:] == ["capture"]:
                return self._capture(order)
        if method == "POST" and parts[:3] == ["v2", "payments", "captures"] \
                and parts[4:] == ["refund"]:
            return self._refund(parts[3], body)
        if method == "POST" and path == "/v1/notifications/verify-webhook-signature":
            return 200, {"verification_status": self._verified(body)}
        return 404, {"name": "NOT_FOUND", "message": f"No route {method} {path}"}

    def _create(self, body: dict) -> tuple[int, dict]:
        units = body.get("purchase_units") or []
        if body.get("intent") != "CAPTURE" or len(units) != 1 or not units[0].get("amount"):
            return 400, {"name": "INVALID_REQUEST", "message": "Request is not well-formed.",
                         "details": [{"issue": "MISSING_REQUIRED_PARAMETER"}]}
        order_id = _id()
        # With a paypal payment source (return/cancel URLs) PayPal answers
        # PAYER_ACTION_REQUIRED and a payer-action link, else CREATED and approve.
        wallet = (body.get("payment_source") or {}).get("paypal")
        self.orders[order_id] = {
            "id": order_id, "intent": "CAPTURE",
            "status": "PAYER_ACTION_REQUIRED" if wallet else "CREATED", "create_time": _now(),
            "purchase_units": [{**units[0], "payee": {"merchant_id": "C7CYMKZDG8D6E"}}],
            **({"payment_source": {"paypal": {}}} if wallet else {}),
            "links": [
                {"href": f"{self.url}/v2/checkout/orders/{order_id}", "rel": "self", "method": "GET"},
                {"href": f"https://www.sandbox.paypal.com/checkoutnow?token={order_id}",
                 "rel": "payer-action" if wallet else "approve", "method": "GET"},
                {"href": f"{self.url}/v2/checkout/orders/{order_id}/capture", "rel": "capture",
                 "method": "POST"}]}
        self.created.append(body)
        return 201, self.orders[order_id]

    def _capture(self, order: dict) -> tuple[int, dict]:
        if order["status"] == "COMPLETED":
            return _unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured.")
        if order["status"] != "APPROVED":
            return _unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order "
                                  "for payment.")
        unit = order["purchase_units"][0]
        capture_id = _id("3C")
        unit["payments"] = {"captures": [{
            "id": capture_id, "status": self.capture_status, "amount": dict(unit["amount"]),
            "final_capture": True, "custom_id": unit.get("custom_id"),
            "seller_protection": {"status": "ELIGIBLE"}, "create_time": _now(),
            "update_time": _now(),
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
            "links": [{"href": f"{self.url}/v2/payments/captures/{capture_id}/refund",
                       "rel": "refund", "method": "POST"}]}]}
        if self.capture_status == "DECLINED":
            unit["payments"]["captures"][0]["status_details"] = {"reason": "DECLINED_BY_RISK_FRAUD_FILTERS"}
        order.update(status="COMPLETED", update_time=_now(),
                     payer={"payer_id": "QYR5Z8XDVJNXQ",
                            "email_address": "buyer@example.com"})
        self.captures[capture_id] = order["id"]
        return 201, order

    def _refund(self, capture_id: str, body: dict) -> tuple[int, dict]:
        order = self.orders.get(self.captures.get(capture_id, ""))
        if order is None:
            return 404, {"name": "RESOURCE_NOT_FOUND", "message": "The specified resource "
                         "does not exist.", "details": [{"issue": "INVALID_RESOURCE_ID"}]}
        payments = order["purchase_units"][0]["payments"]
        capture = payments["captures"][0]
        refunded = sum(Decimal(r["amount"]["value"]) for r in payments.get("refunds", []))
        captured = Decimal(capture["amount"]["value"])
        amount = body.get("amount") or {"currency_code": capture["amount"]["currency_code"],
                                        "value": str(captured - refunded)}
        if Decimal(amount["value"]) + refunded > captured:
            return _unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less "
                                  "than or equal to the capture amount that has not yet been "
                                  "refunded.")
        refund = {"id": _id("1R"), "status": self.refund_status, "amount": amount,
                  "custom_id": body.get("custom_id"), "create_time": _now(),
                  "update_time": _now(),
                  "links": [{"href": f"{self.url}/v2/payments/captures/{capture_id}",
                             "rel": "up", "method": "GET"}]}
        payments.setdefault("refunds", []).append(refund)
        capture["status"] = "REFUNDED" if refunded + Decimal(amount["value"]) == captured \
            else "PARTIALLY_REFUNDED"
        return 201, refund

    def _verified(self, body: dict) -> str:
        expected = _signature(body.get("transmission_id") or "",
                              body.get("transmission_time") or "",
                              body.get("webhook_id") or "", body.get("webhook_event") or {})
        ok = (body.get("webhook_id") == WEBHOOK_ID and body.get("auth_algo") == "SHA256withRSA"
              and hmac.compare_digest(expected, body.get("transmission_sig") or ""))
        return "SUCCESS" if ok else "FAILURE"

    # --- what PayPal does elsewhere --------------------------------------------------
    def approve(self, order_id: str) -> None:
        """The buyer logs in at the approve link and approves."""
        with self.lock:
            self.orders[order_id]["status"] = "APPROVED"
            self.orders[order_id]["payer"] = {"payer_id": "QYR5Z8XDVJNXQ"}

    def capture(self, order_id: str) -> dict:
        """The order captured by another request (a race with ours)."""
        with self.lock:
            return self._capture(self.orders[order_id])[1]

    def order(self, order_id: str) -> dict:
        with self.lock:
            return json.loads(json.dumps(self.orders[order_id]))

    def capture_of(self, order_id: str) -> dict:
        return self.order(order_id)["purchase_units"][0]["payments"]["captures"][0]

    def tamper(self, order_id: str, value: str) -> None:
        """PayPal's capture now says another amount (for reconciliation)."""
        with self.lock:
            self.orders[order_id]["purchase_units"][0]["payments"]["captures"][0][
                "amount"]["value"] = value

    def settle_refunds(self) -> list[dict]:
        """PayPal completes the pending refunds; what a PAYMENT.CAPTURE.REFUNDED says."""
        with self.lock:
            done = []
            for order in self.orders.values():
                for unit in order["purchase_units"]:
                    for refund in (unit.get("payments") or {}).get("refunds", []):
                        if refund["status"] == "PENDING":
                            refund["status"] = "COMPLETED"
                            done.append(json.loads(json.dumps(refund)))
            return done

    def fail_next(self, n: int = 1) -> None:
        with self.lock:
            self.failures_left = n

    @staticmethod
    def webhook(event_type: str, resource: dict, *, event_id: str | None = None,
                webhook_id: str = WEBHOOK_ID, tamper: bool = False) -> tuple[bytes, dict]:
        """(body, headers) of an event as PayPal posts it to the listener."""
        event = {"id": event_id or f"WH-{uuid.uuid4().hex[:17].upper()}", "event_version": "1.0",
                 "create_time": _now(), "resource_type": event_type.split(".")[1].lower(),
                 "resource_version": "2.0", "event_type": event_type,
                 "summary": f"{event_type} event", "resource": resource}
        transmission_id, time = str(uuid.uuid4()), _now()
        sig = _signature(transmission_id, time, webhook_id, event)
        if tamper:
            event["resource"] = {**resource, "status": "DECLINED"}
        headers = {"PAYPAL-TRANSMISSION-ID": transmission_id, "PAYPAL-TRANSMISSION-TIME": time,
                   "PAYPAL-TRANSMISSION-SIG": sig, "PAYPAL-AUTH-ALGO": "SHA256withRSA",
                   "PAYPAL-CERT-URL": "https://api.sandbox.paypal.com/v1/notifications/certs/"
                                      "CERT-360caa42-fca2a594-1d93a270",
                   "Content-Type": "application/json"}
        return json.dumps(event).encode(), headers
