"""Emails to staff members, run as event handlers (jobs)."""
import uuid

from flask import current_app

from app.extensions import db
from app.notifications.service import Recipient, notify
from app.staff import mfa_links
from app.staff.models import StaffMfaLink


def send_mfa_link(evt) -> None:
    """The token is made here and only its hash stored; it commits with this handler's
    delivery row, after the email went out (a failed send stores nothing, and the retry
    makes another token)."""
    link = db.session.get(StaffMfaLink, uuid.UUID(evt.payload["link_id"]))
    token = mfa_links.issue_token(link) if link is not None else None
    if token is None:  # replaced by a newer link, or two-factor already on
        return
    minutes = int(current_app.config["STAFF_MFA_LINK_TTL"].total_seconds() // 60)
    url = f"{current_app.config['PUBLIC_BASE_URL']}{mfa_links.PATH}{token}"
    # None: the staff member asked for it themselves (the template says who, in words).
    requested_by = None if link.requested_by == link.staff.email else link.requested_by
    notify(Recipient(email=link.staff.email, name=link.staff.email), "staff_mfa_link",
           {"requested_by": requested_by, "link": url, "minutes": minutes},
           dedupe_key=f"{evt.id}:mfa-link")
