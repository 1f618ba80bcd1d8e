"""A FAKE Twilio REST API (http.server in a thread): just the one call the app makes,
POST /2010-04-01/Accounts/{sid}/Messages.json. Twilio has no local or sandbox server
that can run here (its test credentials still call api.twilio.com), so the app's real
twilio SDK is pointed at this one with TWILIO_API_BASE. It records every request as the
SDK sent it (path, Authorization, form body), so tests assert the exact REST request,
and can be told to answer the next requests with an error status first."""
from __future__ import annotations

import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-auth-token-for-tests"
FROM = "+15005550006"
INVALID_TO = "+15005550001"  # as Twilio's magic test number: 400, code 21211


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        fake: FakeTwilio = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        form = {k: v[0] for k, v in parse_qs(raw).items()}
        with fake.lock:
            fake.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                  "content_type": self.headers.get("Content-Type"), "form": form})
            failure = fake.failures.pop(0) if fake.failures else None
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
        if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
            return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
        if failure:
            return self._reply(failure, {"code": 20500, "message": "Internal error",
                                         "status": failure})
        if form.get("To") == INVALID_TO:
            return self._reply(400, {"code": 21211, "status": 400, "message":
                                     f"The 'To' number {INVALID_TO} is not a valid phone number."})
        sid = "SM" + uuid.uuid4().hex
        with fake.lock:
            fake.sent.append({"sid": sid, **form})
        self._reply(201, {"sid": sid, "account_sid": ACCOUNT_SID, "to": form.get("To"),
                          "from": form.get("From"), "body": form.get("Body"),
                          "status": "queued", "num_segments": "1"})


class FakeTwilio:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.sent: list[dict] = []
        self.failures: list[int] = []  # statuses to answer the next requests with

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeTwilio":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.sent.clear()
            self.failures.clear()
