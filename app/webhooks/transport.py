"""One HTTP POST to a partner: connected to the address the guard checked, the host's
name kept for TLS (SNI, certificate) and the Host header, no redirects followed, a short
timeout, and only the first bytes of the answer read."""
from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3

from app.core.text import printable
from app.webhooks import targets

EXCERPT_BYTES = 2048


@dataclass
class Outcome:
    status: int | None = None
    excerpt: str = ""
    error: str | None = None
    retry_after: float | None = None
    duration_ms: int = 0
    retryable: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> Outcome:
    started = time.monotonic()
    outcome = _post(url, body, headers, timeout)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def _post(url: str, body: bytes, headers: dict, timeout: float) -> Outcome:
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    try:
        address = targets.resolve(parts.hostname, port)
    except targets.Refused as exc:
        return Outcome(error=str(exc))
    except OSError as exc:
        return Outcome(error=f"DNS: {exc}", retryable=True)
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False,
               "maxsize": 1}
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=parts.hostname, assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(), **options)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen("POST", path, body=body, redirect=False,
                                headers={**headers, "Host": host_header},
                                preload_content=False, assert_same_host=False)
        try:
            raw = response.read(EXCERPT_BYTES)
        finally:
            response.release_conn()
            response.close()
    except urllib3.exceptions.HTTPError as exc:
        return Outcome(error=_short(exc), retryable=True)
    finally:
        pool.close()
    status = response.status
    return Outcome(status=status, excerpt=printable(raw.decode("utf-8", "replace"))[:EXCERPT_BYTES],
                   retry_after=_retry_after(response.headers.get("Retry-After")),
                   retryable=status == 429 or status >= 500,
                   error=None if 200 <= status < 300 else _status_error(status))


def _status_error(status: int) -> str:
    if 300 <= status < 400:
        return f"HTTP {status}: redirects are not followed"
    return f"HTTP {status}"


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())
