"""The VIES adapter: asks the EU's VAT Information Exchange System whether a VAT id is
valid. Behind a small interface (``VatChecker``) so the service never knows the wire
format, and tests or another provider can stand in.

The REST API: POST {VIES_URL}/check-vat-number with {"countryCode": "FR", "vatNumber":
"..."}; the answer has ``valid``, ``name``, ``address``, ``requestDate`` and, when the
request named a requester, ``requestIdentifier`` (the consultation number). A member
state that does not answer gives ``userError: MS_UNAVAILABLE`` or an HTTP error with
``errorWrappers``. Whatever is not a clear ``valid: true`` is never "valid": a failure
is reported as ``error`` and means "not verified"."""
from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from flask import current_app

from app.core.types import utcnow

# userError values that are answers about the id, not failures to answer.
_ANSWERS = {"VALID", "INVALID"}


@dataclass(frozen=True)
class VatCheckResult:
    valid: bool
    name: str | None = None
    address: str | None = None
    # Our UTC clock when the answer arrived: VIES's requestDate is a day (with an offset,
    # or not, depending on the API version), too coarse for the maximum-age rule.
    checked_at: datetime = field(default_factory=utcnow)
    request_id: str | None = None
    error: str | None = None  # set when VIES gave no answer: not verified


class VatChecker(Protocol):
    def check(self, country_code: str, number: str) -> VatCheckResult: ...


def _text(value) -> str | None:
    # VIES writes "---" where a member state does not disclose the name or address.
    if not isinstance(value, str) or value.strip() in ("", "---"):
        return None
    return value.strip()


def _failure(code: str) -> VatCheckResult:
    return VatCheckResult(valid=False, error=code[:200])


def _error_code(body: dict) -> str | None:
    wrappers = body.get("errorWrappers") or []
    if wrappers and isinstance(wrappers[0], dict):
        return str(wrappers[0].get("error") or "VIES_ERROR")
    user_error = body.get("userError")
    if user_error and user_error not in _ANSWERS:
        return str(user_error)
    if body.get("actionSucceed") is False:
        return "VIES_ERROR"
    return None


def parse(body) -> VatCheckResult:
    """A check-vat-number answer (decoded JSON) as a result."""
    if not isinstance(body, dict):
        return _failure("BAD_RESPONSE")
    code = _error_code(body)
    if code:
        return _failure(code)
    if not isinstance(body.get("valid"), bool):
        return _failure("BAD_RESPONSE")
    request_id = body.get("requestIdentifier")
    return VatCheckResult(valid=body["valid"], name=_text(body.get("name")),
                          address=_text(body.get("address")),
                          request_id=str(request_id)[:64] if request_id else None)


class ViesRestClient:
    """The real VIES REST API (stdlib HTTP: no extra dependency for one POST)."""

    def __init__(self, base_url: str, timeout: float):
        self.url = base_url.rstrip("/") + "/check-vat-number"
        self.timeout = timeout

    def check(self, country_code: str, number: str) -> VatCheckResult:
        payload = json.dumps({"countryCode": country_code, "vatNumber": number}).encode()
        request = urllib.request.Request(
            self.url, data=payload, method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return parse(json.loads(response.read(1024 * 1024)))
        except urllib.error.HTTPError as exc:
            # VIES explains its failures in the body (MS_UNAVAILABLE, ...) when it can.
            try:
                code = _error_code(json.loads(exc.read(64 * 1024)))
            except (ValueError, OSError):
                code = None
            return _failure(code or f"HTTP_{exc.code}")
        except (TimeoutError, socket.timeout):
            return _failure("TIMEOUT")
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, (TimeoutError, socket.timeout))
            return _failure("TIMEOUT" if timed_out else "UNREACHABLE")
        except (ValueError, http.client.HTTPException):
            return _failure("BAD_RESPONSE")
        except OSError:
            return _failure("UNREACHABLE")


def checker() -> VatChecker:
    """The configured checker: another provider (or a test double) can be installed as
    ``app.extensions["vat_checker"]``; by default, VIES at VIES_URL."""
    custom = current_app.extensions.get("vat_checker")
    if custom is not None:
        return custom
    cfg = current_app.config
    return ViesRestClient(cfg["VIES_URL"], cfg["VIES_TIMEOUT_SECONDS"])
