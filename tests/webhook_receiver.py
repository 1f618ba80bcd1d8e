"""A real HTTP receiver for webhook tests: a threaded http.server on a free local port that
records every request and answers with scripted statuses (then 200)."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, statuses=(), headers: dict | None = None):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        self.headers = headers or {}
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._cond:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver._cond.notify_all()
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                answer = f"status {status}\x07".encode()
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[dict]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.requests) >= count, timeout)
        return list(self.requests)

    def events(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]


def verify(header: str, body: bytes, secret: str, *, tolerance: int | None = None,
           now: int | None = None) -> bool:
    """The receiver's side of the documented scheme, written from the README alone:
    ``t=<unix>,v1=<hex>[,v1=<hex>]``, hex = HMAC-SHA256(secret, f"{t}.{body}")."""
    items = [part.split("=", 1) for part in header.split(",")]
    timestamps = [v for k, v in items if k == "t"]
    candidates = [v for k, v in items if k == "v1"]
    if len(timestamps) != 1 or not candidates:
        return False
    if tolerance is not None and abs((now or 0) - int(timestamps[0])) > tolerance:
        return False
    expected = hmac.new(secret.encode("utf-8"), timestamps[0].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, c) for c in candidates)
