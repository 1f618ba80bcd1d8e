"""What support staff do for a customer, on the staff member's word: each reuses the
customer-facing operation and records who asked (the self-service paths do not audit)."""
from __future__ import annotations

from app.audit import service as audit
from app.core.actor import Actor
from app.users import service as users


def resend_verification(user_id, *, actor: Actor) -> None:
    users.resend_verification(user_id)
    audit.record(actor, "user.verification_resent", "user", user_id)


def send_password_reset(user_id, *, actor: Actor) -> None:
    user = users.get(user_id)
    users.request_password_reset(user.email)
    audit.record(actor, "user.password_reset_sent", "user", user.id)


def deactivate(user_id, *, actor: Actor):
    return users.deactivate(user_id, actor=actor)
