"""localstripe (PyPI: a fake but stateful Stripe server) as a subprocess on a free port,
what the tests need of it, Stripe's webhook signature, and a small proxy in front of it.

The proxy exists because localstripe lacks two behaviours of the real Stripe that the
payment code relies on: it can answer 500 to the next requests (a gateway fault the SDK
retries), and it honours `Idempotency-Key` as Stripe documents it (the same key replays
the first answer), which localstripe ignores. Everything else is localstripe's.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

API_KEY = "sk_test_nextgen_localstripe"
WEBHOOK_SECRET = "whsec_test_nextgen_webhooks"


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for ``payload``: t=<time>,v1=HMAC-SHA256(secret, 't.body')."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event(event_type: str, obj: dict, *, event_id: str | None = None, created: int | None = None) -> bytes:
    """A Stripe event around ``obj`` (a PaymentIntent or Refund as localstripe returns it)."""
    created = int(time.time()) if created is None else created
    return json.dumps({"id": event_id or f"evt_{obj['id']}_{event_type}", "object": "event",
                       "type": event_type, "created": created, "livemode": False,
                       "api_version": "2024-06-20", "data": {"object": obj}}).encode()


class LocalStripe:
    def __init__(self):
        from tests.conftest import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {API_KEY}"

    def start(self) -> "LocalStripe":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "localstripe", "--port", str(self.port), "--from-scratch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.session.get(f"{self.url}/v1/payment_intents", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("localstripe did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def flush(self) -> None:
        self.session.delete(f"{self.url}/_config/data").raise_for_status()

    def intents(self, payment_id=None) -> list[dict]:
        found = self.session.get(f"{self.url}/v1/payment_intents", params={"limit": 100}).json()
        intents = found["data"]
        if payment_id is not None:
            intents = [i for i in intents if i["metadata"].get("payment_id") == str(payment_id)]
        return intents

    def intent(self, intent_id: str) -> dict:
        return self.session.get(f"{self.url}/v1/payment_intents/{intent_id}").json()

    def refunds(self) -> list[dict]:
        return self.session.get(f"{self.url}/v1/refunds", params={"limit": 100}).json()["data"]

    def card(self, number: str = "4242424242424242") -> str:
        """A PaymentMethod for the card (4000002760003184: 3-D Secure; 4000000000000002:
        declined), as Stripe.js would create it in the app."""
        found = self.session.post(f"{self.url}/v1/payment_methods", json={
            "type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030,
                                     "cvc": "123"}})
        found.raise_for_status()
        return found.json()["id"]

    def confirm(self, intent_id: str, number: str = "4242424242424242") -> dict:
        """What the app does with the client secret: attach the card and confirm."""
        self.session.post(f"{self.url}/v1/payment_intents/{intent_id}",
                          json={"payment_method": self.card(number)}).raise_for_status()
        done = self.session.post(f"{self.url}/v1/payment_intents/{intent_id}/confirm", json={})
        return done.json()

    def authenticate(self, intent: dict, success: bool = True) -> dict:
        """The customer passes (or fails) the 3-D Secure challenge."""
        return self.session.post(f"{self.url}/v1/payment_intents/{intent['id']}/_authenticate",
                                 json={"client_secret": intent["client_secret"],
                                       "success": success}).json()

    def confirm_setup(self, setup_intent: dict, number: str = "4242424242424242") -> str:
        """What Stripe.js does with a SetupIntent's client secret: the card is created and
        the SetupIntent confirmed with it; the PaymentMethod's id (localstripe, unlike
        Stripe, does not attach it to the SetupIntent's customer: the app does that)."""
        card = self.card(number)
        self.session.post(f"{self.url}/v1/setup_intents/{setup_intent['id']}/confirm",
                          json={"client_secret": setup_intent["client_secret"],
                                "payment_method": card})
        return card

    def payment_method(self, payment_method_id: str) -> dict:
        return self.session.get(f"{self.url}/v1/payment_methods/{payment_method_id}").json()

    def customers(self) -> list[dict]:
        return self.session.get(f"{self.url}/v1/customers", params={"limit": 100}).json()["data"]

    def send_webhooks_to(self, url: str, secret: str = WEBHOOK_SECRET) -> None:
        self.session.post(f"{self.url}/_config/webhooks/nextgen",
                          json={"url": url, "secret": secret}).raise_for_status()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        proxy = self.server.proxy
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key") if self.command == "POST" else None
        with proxy.lock:
            proxy.seen.append((self.command, self.path))
            fail = proxy.failures_left > 0
            if fail:
                proxy.failures_left -= 1
        if fail:
            return self._reply(500, b'{"error": {"type": "api_error", "message": "injected"}}',
                               "application/json")
        with proxy.key_lock(key):
            if key is not None and key in proxy.answers:
                return self._reply(*proxy.answers[key])
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "content-length", "connection")}
            upstream = requests.request(self.command, proxy.upstream + self.path, data=body,
                                        headers=headers, timeout=30)
            answer = (upstream.status_code, upstream.content,
                      upstream.headers.get("Content-Type", "application/json"))
            if key is not None and upstream.status_code < 500:
                proxy.answers[key] = answer
        return self._reply(*answer)

    do_GET = do_POST = do_DELETE = _forward

    def _reply(self, status: int, data: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class StripeProxy:
    """Between the SDK and localstripe: ``fail_next(n)`` answers 500 to the next n
    requests; POSTs with an Idempotency-Key replay the first answer, as Stripe does."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.lock = threading.Lock()
        self.failures_left = 0
        self.seen: list[tuple[str, str]] = []
        self.answers: dict[str, tuple] = {}
        self._key_locks: dict[str, threading.Lock] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _ProxyHandler)
        self.server.daemon_threads = True
        self.server.proxy = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @contextlib.contextmanager
    def key_lock(self, key):
        if key is None:
            yield
            return
        with self.lock:
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            yield

    def fail_next(self, n: int = 1) -> None:
        with self.lock:
            self.failures_left = n

    def start(self) -> "StripeProxy":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
