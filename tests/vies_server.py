"""A local stand-in for the EU VIES REST API (http.server in a thread), answering by
VAT number: valid, invalid, member state unavailable (200 with userError, or 500 with
errorWrappers), or too slow (for the timeout)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID = {("FR", "12345678901"): ("ACME SARL", "1 RUE DE LA PAIX\n75002 PARIS"),
         ("EL", "123456789"): ("ΑΘΗΝΑ ΕΠΕ", "ΟΔΟΣ ΕΡΜΟΥ 10\n10563 ΑΘΗΝΑ"),
         ("NL", "123456789B01"): ("---", "---")}
INVALID_NUMBER = "99999999999"
UNAVAILABLE_NUMBER = "11111111111"  # 200, userError MS_UNAVAILABLE
SERVER_ERROR_NUMBER = "22222222222"  # 500, errorWrappers MS_UNAVAILABLE
SLOW_NUMBER = "33333333333"
SLOW_SECONDS = 2.0


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet test output
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if self.path != "/check-vat-number":
            return self._reply(404, {"actionSucceed": False})
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        cc, number = body.get("countryCode"), body.get("vatNumber")
        answer = {"countryCode": cc, "vatNumber": number,
                  "requestDate": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
        if number == SLOW_NUMBER:
            time.sleep(SLOW_SECONDS)
        if number == UNAVAILABLE_NUMBER:
            return self._reply(200, {**answer, "valid": False, "userError": "MS_UNAVAILABLE"})
        if number == SERVER_ERROR_NUMBER:
            return self._reply(500, {"actionSucceed": False, "errorWrappers": [
                {"error": "MS_UNAVAILABLE", "message": "Member State service unavailable."}]})
        if (cc, number) in VALID:
            name, address = VALID[(cc, number)]
            return self._reply(200, {**answer, "valid": True, "userError": "VALID",
                                     "name": name, "address": address,
                                     "requestIdentifier": f"WAPI{number[-6:]}"})
        return self._reply(200, {**answer, "valid": False, "userError": "INVALID",
                                 "name": "---", "address": "---", "requestIdentifier": ""})


class FakeVies:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.requests = []
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[dict]:
        return self.server.requests

    def start(self) -> "FakeVies":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
