"""Messages to end users about their account, run as event handlers (jobs)."""
from flask import current_app

from app.notifications.links import action_link
from app.notifications.service import Recipient, notify
from app.users import service


def send_verification_email(evt) -> None:
    user = service.get(evt.payload["user_id"])
    if user.email_verified:
        return
    token = service.verification_token(user)
    notify(Recipient.for_user(user, sms=False), "email_verification", {
        "name": user.full_name or user.email, "token": token,
        "link": action_link("verify-email", token=token),
        "hours": int(current_app.config["EMAIL_TOKEN_TTL"].total_seconds() // 3600),
    }, dedupe_key=f"{evt.id}:verify")


def send_password_reset_email(evt) -> None:
    # Events written before #13 name the user; newer ones the email that was typed.
    user = (service.get(evt.payload["user_id"]) if "user_id" in evt.payload
            else service.find_by_email(evt.payload["email"]))
    if user is None or not user.is_active:
        return
    token = service.password_reset_token(user)
    notify(Recipient.for_user(user, sms=False), "password_reset", {
        "token": token, "link": action_link("reset-password", token=token),
    }, dedupe_key=f"{evt.id}:reset")


def send_registration_attempt_email(evt) -> None:
    """Someone signed up with the email of an existing account: tell its owner (the API's
    answer said nothing, so this is the only place it is said)."""
    user = service.get(evt.payload["user_id"])
    notify(Recipient.for_user(user, sms=False), "registration_attempt",
           {"reset_link": action_link("reset-password")},
           dedupe_key=f"{evt.id}:registration-attempt")
