"""Email: building the MIME message and handing it to SMTP (or, without SMTP in
development, to a file in instance/outbox/). Called from the notification job only."""
from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import re
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from pathlib import Path

from flask import current_app

from app.notifications.errors import PermanentSendError, TransientSendError

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")


def header_text(value: str, limit: int = 300) -> str:
    """A header value that cannot start another header: CR, LF and every other control
    character become a space (so "Ada\\r\\nBcc: x@evil" stays one harmless display name)."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


def _domain() -> str:
    return parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"


def build(*, notification_id, to: str, to_name: str, subject: str, text: str,
          html: str | None, attachments: list[tuple[str, str, bytes]] = (),
          dedupe_key: str | None = None, unsubscribe: bool = False) -> EmailMessage:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    if cfg.get("MAIL_REPLY_TO"):
        msg["Reply-To"] = cfg["MAIL_REPLY_TO"]
    msg["To"] = formataddr((header_text(to_name, 100), to)) if to_name else to
    msg["Subject"] = header_text(subject)
    # From the notification's id: a re-sent copy has the same Message-ID, so a
    # receiving system (and the person's mail client) can tell it is the same message.
    msg["Message-ID"] = f"<{notification_id}@{_domain()}>"
    if dedupe_key:
        msg["X-Idempotency-Key"] = header_text(dedupe_key, 200)
    if unsubscribe:
        target = cfg.get("MAIL_UNSUBSCRIBE") or f"mailto:{parseaddr(cfg['MAIL_FROM'])[1]}?subject=unsubscribe"
        msg["List-Unsubscribe"] = f"<{target}>"
        if target.startswith("https://"):
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, mimetype, data in attachments:
        maintype, _, subtype = mimetype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype,
                           filename=header_text(filename, 120))
    return msg


def deliver(msg: EmailMessage, *, notification_id) -> str:
    """Hand the message over; returns the provider's message id (our Message-ID).
    Raises TransientSendError or PermanentSendError."""
    cfg = current_app.config
    backend = cfg["MAIL_BACKEND"]
    if backend == "log":
        # Never the body: it may hold a reset link or a verification token.
        log.info("email (log backend, not sent) notification=%s to=%s subject=%s",
                 notification_id, msg["To"], msg["Subject"])
    elif backend == "outbox":
        _write_outbox(msg, notification_id)
    elif backend == "smtp":
        _smtp(msg)
    else:
        raise PermanentSendError("Email is not configured (SMTP_HOST is not set); not sent.")
    return msg["Message-ID"]


def outbox_dir() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "outbox"


def _write_outbox(msg: EmailMessage, notification_id) -> None:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{notification_id}.eml").write_bytes(msg.as_bytes())


# Set by reused_connection(): a batch of messages shares one SMTP session (connect,
# TLS and login once), as relays such as SendGrid's allow.
_SESSION: contextvars.ContextVar[list | None] = contextvars.ContextVar("smtp_session", default=None)


@contextlib.contextmanager
def reused_connection():
    holder: list = []
    token = _SESSION.set(holder)
    try:
        yield
    finally:
        _SESSION.reset(token)
        for smtp in holder:
            _close(smtp)


def _open() -> smtplib.SMTP:
    cfg = current_app.config
    host, port, timeout = cfg["SMTP_HOST"], cfg["SMTP_PORT"], cfg["SMTP_TIMEOUT"]
    if cfg["SMTP_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if cfg["SMTP_STARTTLS"] and not cfg["SMTP_SSL"]:
            smtp.starttls(context=_tls())
        if cfg["SMTP_USERNAME"]:
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _close(smtp) -> None:
    try:
        smtp.quit()
    except Exception:  # already gone: nothing to say goodbye to
        smtp.close()


def _smtp(msg: EmailMessage) -> None:
    holder = _SESSION.get()
    smtp = None
    try:
        smtp = holder[0] if holder else _open()
        if holder is not None and not holder:
            holder.append(smtp)
        refused = smtp.send_message(msg)
        if holder is None:
            _close(smtp)
    except Exception as exc:
        # A session that saw an error is not trusted with the next message.
        if smtp is not None:
            smtp.close()
        if holder:
            holder.clear()
        raise _classify(exc) from None
    if refused:  # one recipient per message: a partial refusal cannot happen, but say so
        raise _by_codes([code for code, _ in refused.values()], refused)


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _by_codes([code for code, _ in exc.recipients.values()], exc)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_codes([exc.smtp_code], exc)
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # STARTTLS asked of a server without it
        return PermanentSendError(f"SMTP: {exc}")
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, socket.timeout,
                        TimeoutError, ConnectionError, OSError)):
        return TransientSendError(f"{type(exc).__name__}: {exc}")
    return exc


@functools.cache
def _tls() -> ssl.SSLContext:
    # Loading the CA bundle costs ~100 ms: once per process, and only when TLS is used
    # (a forked RQ work horse inherits the parent's).
    return ssl.create_default_context()


def _by_codes(codes: list[int], exc) -> Exception:
    text = f"SMTP {', '.join(map(str, codes))}: {exc}"
    if codes and all(400 <= c < 500 for c in codes):
        return TransientSendError(text)
    return PermanentSendError(text)


def valid_address(value) -> str:
    """The address as given, once it is a valid one (InvalidInput says why not)."""
    from app.core.emails import normalise_email

    normalise_email(value)
    return value.strip()
