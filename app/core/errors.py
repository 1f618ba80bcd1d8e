"""Domain errors. Every adapter maps them the same way (API: status + JSON body;
admin: a flash message; jobs: a failed job)."""


class DomainError(Exception):
    status = 400
    code = "domain_error"

    def __init__(self, message: str, *, errors: dict | None = None, keep_writes: bool = False):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        # A refusal normally writes nothing; a few must leave a trace (a revoked session).
        self.keep_writes = keep_writes


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request is valid but clashes with the current state (duplicate, illegal transition)."""

    status = 409
    code = "conflict"


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class AuthenticationFailed(DomainError):
    status = 401
    code = "unauthenticated"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
