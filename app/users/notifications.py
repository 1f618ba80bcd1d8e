"""Emails to end users, run as event handlers (jobs)."""
from flask import current_app

from app.notifications import email
from app.users import service


def send_verification_email(evt) -> None:
    user = service.get(evt.payload["user_id"])
    if user.email_verified:
        return
    token = service.verification_token(user)
    link = f"{current_app.config['PUBLIC_BASE_URL']}/verify-email?token={token}"
    email.send(
        user.email,
        "Confirm your email address",
        f"Hello {user.full_name or user.email},\n\n"
        f"Confirm your email address for NextGen Market:\n{link}\n\n"
        f"Apps may also send this code to POST /api/v1/auth/verify-email:\n{token}\n\n"
        "The link expires in "
        f"{int(current_app.config['EMAIL_TOKEN_TTL'].total_seconds() // 3600)} hours.\n",
        idempotency_key=f"{evt.id}:verify",
    )


def send_password_reset_email(evt) -> None:
    # Events written before #13 name the user; newer ones the email that was typed.
    user = (service.get(evt.payload["user_id"]) if "user_id" in evt.payload
            else service.find_by_email(evt.payload["email"]))
    if user is None or not user.is_active:
        return
    token = service.password_reset_token(user)
    link = f"{current_app.config['PUBLIC_BASE_URL']}/reset-password?token={token}"
    email.send(
        user.email,
        "Reset your password",
        f"Someone asked to reset the password of your NextGen Market account.\n\n"
        f"Reset it here:\n{link}\n\nor send this code to "
        f"POST /api/v1/auth/password-reset/confirm:\n{token}\n\n"
        "If it was not you, ignore this email; your password stays as it is.\n",
        idempotency_key=f"{evt.id}:reset",
    )


def send_registration_attempt_email(evt) -> None:
    """Someone signed up with the email of an existing account: tell its owner (the API's
    answer said nothing, so this is the only place it is said)."""
    user = service.get(evt.payload["user_id"])
    email.send(
        user.email,
        "Someone tried to create an account with your email",
        "Someone tried to create a NextGen Market account with this email address, which "
        "already has one.\n\nIf it was you, sign in, or reset your password here:\n"
        f"{current_app.config['PUBLIC_BASE_URL']}/reset-password\n\n"
        "If it was not you, ignore this email: nothing has changed.\n",
        idempotency_key=f"{evt.id}:registration-attempt",
    )
