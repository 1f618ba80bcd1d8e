"""Gateway errors, mapped like every domain error (API: status + JSON body)."""
from app.core.errors import DomainError


class GatewayNotConfigured(DomainError):
    status = 503
    code = "gateway_not_configured"


class GatewayUnavailable(DomainError):
    """The gateway did not answer (after the SDK's retries): nothing is known charged."""

    status = 503
    code = "gateway_unavailable"


class GatewayFailed(DomainError):
    """The gateway answered with a server error after the retries."""

    status = 502
    code = "gateway_error"


class CardDeclined(DomainError):
    status = 402
    code = "card_declined"


class BadSignature(DomainError):
    """A webhook whose signature does not verify (or is stale): nothing is stored."""

    status = 400
    code = "bad_signature"


class PaymentDeclined(DomainError):
    """The gateway declined to collect an approved payment (PayPal: capture DECLINED)."""

    status = 402
    code = "payment_declined"
