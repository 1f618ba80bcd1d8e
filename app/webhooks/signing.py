"""The signature scheme (Stripe's): ``Webhook-Signature: t=<unix>,v1=<hex>`` where hex is
HMAC-SHA256(secret, f"{t}.{body}"). While a rotated-out secret is still valid, a second
``v1=`` signed with it follows, so receivers holding either secret verify."""
from __future__ import annotations

import hashlib
import hmac

HEADER = "Webhook-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def header(secrets: list[str], timestamp: int, body: bytes) -> str:
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets)])
