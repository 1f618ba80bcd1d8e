"""Email address validation and normalisation, one rule for users and staff."""
from email_validator import EmailNotValidError, validate_email

from app.core.errors import InvalidInput


def normalise_email(value: str) -> str:
    """Validated, normalised and lower-cased, so uniqueness is case-insensitive."""
    if not isinstance(value, str) or len(value) > 254:
        raise InvalidInput("Invalid email address.", errors={"email": ["Not a valid email."]})
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput("Invalid email address.", errors={"email": [str(exc)]}) from None
    return result.normalized.lower()
