"""Sentry (optional): with SENTRY_DSN an unhandled error reaches the Sentry server named by
the DSN (here a local HTTP server standing in for it); without, nothing is sent."""
from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import free_port, own_app


class _Envelopes(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _Envelopes)
    _Envelopes.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield port, _Envelopes.received
    finally:
        server.shutdown()
        import sentry_sdk

        sentry_sdk.init(dsn=None)  # the SDK is process-wide: off again for other tests


def test_an_unhandled_error_is_reported_to_sentry(tmp_path, sentry_server):
    import sentry_sdk

    port, received = sentry_server
    with own_app(tmp_path, SENTRY_DSN=f"http://public@127.0.0.1:{port}/42") as app:
        app.config["PROPAGATE_EXCEPTIONS"] = False

        def boom():
            raise RuntimeError("boom for sentry")

        app.add_url_rule("/test-boom", "test_boom", boom)
        assert app.test_client().get("/test-boom").status_code == 500
        sentry_sdk.flush(timeout=5)
    events = [body for path, body in received if path == "/api/42/envelope/"]
    assert events, received
    items = [json.loads(line) for line in events[0].splitlines() if line.startswith(b"{")]
    assert any("boom for sentry" in json.dumps(item) for item in items)
