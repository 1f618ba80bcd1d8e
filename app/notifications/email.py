"""Sending email over SMTP. Called from jobs only (never inside a request)."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

log = logging.getLogger(__name__)


def send(to: str, subject: str, text: str, *, attachments: list[tuple[str, str, bytes]] = (),
         idempotency_key: str | None = None) -> str:
    """Send one message; returns its Message-ID. Raises on failure so the job retries."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="nextgen.example")
    if idempotency_key:
        # Lets a receiving system drop a duplicate if a retry ever re-sends.
        msg["X-Idempotency-Key"] = idempotency_key
    msg.set_content(text)
    for filename, mimetype, data in attachments:
        maintype, _, subtype = mimetype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)

    if cfg["MAIL_BACKEND"] == "log":
        log.info("email (log backend) to=%s subject=%s\n%s", to, subject, text)
        return msg["Message-ID"]
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=cfg["SMTP_TIMEOUT"]) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USERNAME"]:
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
        smtp.send_message(msg)
    return msg["Message-ID"]
