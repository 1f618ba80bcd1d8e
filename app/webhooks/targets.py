"""Where webhooks may be sent (the SSRF guard). A URL is checked when it is saved (form,
credentials, literal addresses) and every address its host resolves to is checked again
before each request, which then connects to that checked address (no second lookup a
rebinding DNS server could answer differently)."""
from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import parse_qsl, urlsplit

from flask import current_app

from app.core.errors import InvalidInput

MAX_URL = 2048
# Query parameter names that carry credentials: those belong in the signing secret.
_CREDENTIAL = re.compile(r"secret|token|key|passw|pwd|auth|credential|signature|session",
                         re.IGNORECASE)
_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".localdomain")


class Refused(Exception):
    """The target may not be called (a private address, say)."""


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"url": [message]})


def allow_private() -> bool:
    return bool(current_app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"])


def check_url(url: str) -> str:
    """The URL, stripped, or InvalidInput (422) naming what is wrong with it."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise _invalid(f"A URL of at most {MAX_URL} characters is required.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid("Not a valid URL.") from None
    production = current_app.config["APP_ENV"] == "production"
    schemes = ("https",) if production else ("https", "http")
    if parts.scheme.lower() not in schemes:
        raise _invalid("The URL must use https." if production
                       else "The URL must use http or https.")
    if not parts.hostname:
        raise _invalid("The URL has no host.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _invalid("Credentials in the URL are refused: verify the signature instead.")
    if parts.fragment:
        raise _invalid("A URL with a #fragment is refused.")
    names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    leaking = [name for name in names if _CREDENTIAL.search(name)]
    if leaking:
        raise _invalid("Secrets in the query string are refused (" + ", ".join(leaking[:3])
                       + "): verify the signature instead.")
    if port == 0:
        raise _invalid("Not a valid port.")
    if not allow_private():
        host = parts.hostname.lower().rstrip(".")
        if host == "localhost" or host.endswith(_LOCAL_NAMES):
            raise _invalid("Local host names are refused.")
        literal = _literal(host)
        if literal is not None and not is_public(literal):
            raise _invalid(f"The address {literal} is not public: refused.")
    return url


def _literal(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_public(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> str:
    """The address to connect to: every address the host resolves to must be public
    (unless private targets are allowed); Refused otherwise. OSError when it does not
    resolve (a retryable failure)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise OSError(f"{host} does not resolve")
    if not allow_private():
        private = [str(a) for a in addresses if not is_public(a)]
        if private:
            raise Refused(f"{host} resolves to a non-public address ({private[0]}): refused")
    return str(addresses[0])
