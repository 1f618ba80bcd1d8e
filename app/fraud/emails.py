"""Email domains and the disposable-domain list shipped with the app
(app/fraud/data/disposable_domains.txt, or FRAUD_DISPOSABLE_DOMAINS_FILE)."""
from __future__ import annotations

import functools
from pathlib import Path

from flask import current_app

DEFAULT_FILE = Path(__file__).parent / "data" / "disposable_domains.txt"


def domain_of(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


@functools.lru_cache(maxsize=8)
def _load(path: str) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.lstrip().startswith("#"))


def disposable_domains() -> frozenset[str]:
    return _load(str(current_app.config.get("FRAUD_DISPOSABLE_DOMAINS_FILE") or DEFAULT_FILE))


def is_disposable(domain: str | None) -> bool:
    """The domain or any parent of it is listed (``x.mailinator.com`` too)."""
    if not domain:
        return False
    listed = disposable_domains()
    parts = domain.split(".")
    return any(".".join(parts[i:]) in listed for i in range(len(parts) - 1))
