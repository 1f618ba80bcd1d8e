"""How a failed send is classified: only a transient failure is tried again."""


class SendError(Exception):
    transient = False


class TransientSendError(SendError):
    """Connection refused, a timeout, SMTP 4xx, HTTP 5xx/429: may work later."""

    transient = True


class PermanentSendError(SendError):
    """An invalid address or number, SMTP 5xx, a channel not configured: will not."""
