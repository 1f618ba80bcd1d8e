"""What rules can read: attributes of the order, payment, customer and request, and the
velocity counters. A rule naming anything else is refused when saved."""
from __future__ import annotations

from datetime import datetime

from app.core.types import utcnow
from app.fraud import emails, velocity

DESCRIPTIONS = {
    "stage": 'What is screened: "order" (at placement) or "payment" (before the gateway)',
    "amount": "The order's total, integer minor units of currency (cents)",
    "currency": "ISO 4217 code, e.g. \"EUR\"",
    "line_count": "Lines on the order",
    "billing_country": "ISO 3166-1 alpha-2 of the billing address",
    "shipping_country": "ISO 3166-1 alpha-2 of the shipping address",
    "ip": "The client's IP address when the order was placed",
    "ip_country": "Country of that IP, as the proxy/CDN reported it (FRAUD_IP_COUNTRY_HEADER)",
    "card_country": "Country that issued the card (payment stage, when the gateway tells)",
    "card_fingerprint": "The card's fingerprint (payment stage, when the gateway tells)",
    "payment_method": 'card, paypal (payment stage)',
    "customer_id": "The customer's id",
    "email": "The customer's email address",
    "email_domain": "The part after @, lower case",
    "is_disposable_email": "The domain is on the disposable-domain list",
    "email_verified": "The customer verified their email",
    "account_age_days": "Days since the customer registered (fractional)",
    "on_allowlist": "Email, domain, IP, card or customer on the list @allow",
    "on_blocklist": "Email, domain, IP, card or customer on the list @block",
    "risk_score": "0-100 from weighted signals",
}
for _name in velocity.attribute_names():
    counter, _, rest = _name.partition("_per_")
    dim, _, window = rest.rpartition("_")
    DESCRIPTIONS[_name] = (f"{counter.replace('_', ' ').capitalize()} by this {dim} "
                           f"in the last {window}")

KNOWN = frozenset(DESCRIPTIONS)
# Matched against the allow and block lists.
LISTED = ("email", "email_domain", "ip", "card_fingerprint", "customer_id")


def identities(attrs: dict) -> dict[str, str | None]:
    return {"customer": attrs.get("customer_id"), "email": attrs.get("email"),
            "ip": attrs.get("ip"), "card": attrs.get("card_fingerprint")}


def base(order, user, *, ip: str | None, ip_country: str | None, stage: str,
         payment_method: str | None = None, card_country: str | None = None,
         card_fingerprint: str | None = None, now: datetime | None = None) -> dict:
    """Everything but the counters, lists and score (see ``complete``)."""
    email = (user.email if user is not None else None) or None
    domain = emails.domain_of(email)
    created = getattr(user, "created_at", None)
    age = ((now or utcnow()) - created).total_seconds() / 86400 if created else None
    return {
        "stage": stage,
        "amount": order.total_amount,
        "currency": order.currency,
        "line_count": len(order.lines),
        "billing_country": (order.billing_address or {}).get("country"),
        "shipping_country": (order.shipping_address or {}).get("country"),
        "ip": ip,
        "ip_country": ip_country,
        "card_country": card_country,
        "card_fingerprint": card_fingerprint,
        "payment_method": payment_method,
        "customer_id": str(order.customer_id),
        "email": email.lower() if email else None,
        "email_domain": domain,
        "is_disposable_email": emails.is_disposable(domain),
        "email_verified": bool(getattr(user, "email_verified_at", None)),
        "account_age_days": round(age, 4) if age is not None else None,
    }


def complete(attrs: dict, lists: dict[str, frozenset[str]], counters: dict[str, int]) -> dict:
    """Add the list flags and the counters (score comes last: it reads them)."""
    attrs = {**attrs, **counters}
    values = [str(attrs[k]).lower() for k in LISTED if attrs.get(k)]
    attrs["on_allowlist"] = any(v in lists.get("allow", ()) for v in values)
    attrs["on_blocklist"] = any(v in lists.get("block", ()) for v in values)
    return attrs
