"""Links in messages: to the web app when one is configured (PUBLIC_WEB_URL), else to
this app's own pages (api/account_pages.py), which complete the action themselves."""
from urllib.parse import urlencode

from flask import current_app


def action_link(path: str, **params) -> str:
    cfg = current_app.config
    base = cfg.get("PUBLIC_WEB_URL") or cfg["PUBLIC_BASE_URL"]
    return f"{base}/{path.lstrip('/')}" + (f"?{urlencode(params)}" if params else "")
