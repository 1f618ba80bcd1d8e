"""SMS through Twilio's SDK (or, without Twilio in development, a .json file in
instance/outbox/). Called from the notification job only."""
from __future__ import annotations

import json
import logging
import re

from flask import current_app

from app.core.errors import InvalidInput
from app.notifications.email import outbox_dir
from app.notifications.errors import PermanentSendError, TransientSendError

log = logging.getLogger(__name__)

TWILIO_BASE = "https://api.twilio.com"
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


def normalise_phone(value) -> str:
    """E.164 (+ and 8-15 digits); spaces, dots, dashes and brackets are dropped."""
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput("Invalid phone number.", errors={"phone": ["Not a phone number."]})
    compact = re.sub(r"[\s().-]", "", value)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.fullmatch(compact):
        raise InvalidInput("Invalid phone number.", errors={
            "phone": ["Use the international form, e.g. +49 30 1234567."]})
    return compact


def _client():
    # The SDK is imported here, not at module load: web processes never need it, and a
    # worker imports it once, before forking (jobs/cli.py).
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    class BaseUrlHttpClient(TwilioHttpClient):
        """The SDK's own HTTP client, sending to TWILIO_API_BASE instead of
        api.twilio.com (the tests' local server; a regional edge in production)."""

        def __init__(self, base: str, timeout: float):
            super().__init__(timeout=timeout)
            self.base = base.rstrip("/")

        def request(self, method, url, *args, **kwargs):
            if url.startswith(TWILIO_BASE):
                url = self.base + url[len(TWILIO_BASE):]
            return super().request(method, url, *args, **kwargs)

    cfg = current_app.config
    base = cfg.get("TWILIO_API_BASE")
    http = (BaseUrlHttpClient(base, cfg["TWILIO_TIMEOUT_SECONDS"]) if base
            else TwilioHttpClient(timeout=cfg["TWILIO_TIMEOUT_SECONDS"]))
    return Client(cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"], http_client=http)


def deliver(to: str, body: str, *, notification_id) -> str:
    """Send; returns the provider's message id. Raises Transient/PermanentSendError."""
    backend = current_app.config["SMS_BACKEND"]
    if backend == "outbox":
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{notification_id}.json").write_text(json.dumps(
            {"to": to, "from": current_app.config["TWILIO_FROM"], "body": body}, indent=2))
        return f"outbox-{notification_id}"
    if backend != "twilio":
        raise PermanentSendError("SMS is not configured (TWILIO_ACCOUNT_SID is not set); not sent.")
    import requests
    from twilio.base.exceptions import TwilioRestException

    try:
        message = _client().messages.create(to=to, from_=current_app.config["TWILIO_FROM"],
                                            body=body)
    except TwilioRestException as exc:
        text = f"Twilio {exc.status} (code {exc.code}): {exc.msg}"
        if exc.status == 429 or exc.status >= 500:
            raise TransientSendError(text) from None
        raise PermanentSendError(text) from None  # 21211 invalid 'To', 21610 opted out...
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise TransientSendError(f"{type(exc).__name__}: {exc}") from None
    return message.sid
