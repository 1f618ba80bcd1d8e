"""Password hashing: argon2id (argon2-cffi), parameters at or above OWASP ASVS minimums."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import InvalidInput

_hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4 (RFC 9106 low-memory profile)
# A real hash to verify against when the account does not exist, so that a login for an
# unknown email costs the same time as a wrong password (no account enumeration by timing).
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")

MIN_LENGTH = 10
MAX_LENGTH = 256


def validate(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(
            "Password is too short.",
            errors={"password": [f"Must be at least {MIN_LENGTH} characters."]},
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            "Password is too long.", errors={"password": [f"At most {MAX_LENGTH} characters."]}
        )
    if password.strip() == "" or len(set(password)) < 4:
        raise InvalidInput("Password is too weak.", errors={"password": ["Too simple."]})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
