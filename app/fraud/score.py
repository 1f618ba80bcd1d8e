"""The risk score: 0-100 from weighted signals (FRAUD_SCORE_WEIGHTS), with thresholds
(FRAUD_REVIEW_SCORE, FRAUD_BLOCK_SCORE) that decide when no rule matched. Rules read it
as ``risk_score``; only staff ever see it."""
from __future__ import annotations

from typing import Callable

DEFAULT_WEIGHTS = {
    "disposable_email": 35,
    "ip_billing_mismatch": 15,
    "billing_shipping_mismatch": 10,
    "card_billing_mismatch": 15,
    "new_account": 15,
    "high_amount": 15,
    "order_velocity": 20,
    "failed_payment_velocity": 25,
    "blocklisted": 100,
}


def _differ(a, b) -> bool:
    return bool(a) and bool(b) and str(a).upper() != str(b).upper()


SIGNALS: dict[str, Callable[[dict, dict], bool]] = {
    "disposable_email": lambda a, s: bool(a.get("is_disposable_email")),
    "ip_billing_mismatch": lambda a, s: _differ(a.get("ip_country"), a.get("billing_country")),
    "billing_shipping_mismatch": lambda a, s: _differ(a.get("billing_country"),
                                                      a.get("shipping_country")),
    "card_billing_mismatch": lambda a, s: _differ(a.get("card_country"), a.get("billing_country")),
    "new_account": lambda a, s: (a.get("account_age_days") is not None
                                 and a["account_age_days"] < s["new_account_days"]),
    "high_amount": lambda a, s: (s["high_amount"] is not None
                                 and (a.get("amount") or 0) >= s["high_amount"]),
    "order_velocity": lambda a, s: (a.get("orders_per_customer_1h", 0) > s["orders_per_hour"]
                                    or a.get("orders_per_ip_1h", 0) > s["orders_per_hour"]),
    "failed_payment_velocity": lambda a, s: max(
        a.get("failed_payments_per_customer_24h", 0), a.get("failed_payments_per_card_24h", 0),
        a.get("failed_payments_per_ip_24h", 0)) >= s["failed_payments_per_day"],
    "blocklisted": lambda a, s: bool(a.get("on_blocklist")),
}


def settings_from(config, currency: str | None) -> dict:
    limits = config.get("FRAUD_HIGH_AMOUNT") or {}
    return {
        "weights": {**DEFAULT_WEIGHTS, **(config.get("FRAUD_SCORE_WEIGHTS") or {})},
        "new_account_days": config.get("FRAUD_NEW_ACCOUNT_DAYS", 1),
        "high_amount": limits.get((currency or "").upper(), limits.get("*")),
        "orders_per_hour": config.get("FRAUD_VELOCITY_MAX_ORDERS", 10),
        "failed_payments_per_day": config.get("FRAUD_FAILED_PAYMENTS_PER_DAY", 3),
    }


def score(attrs: dict, settings: dict) -> tuple[int, dict[str, int]]:
    """(score clamped to 0..100, {signal: weight} of the signals that fired)."""
    fired = {name: settings["weights"].get(name, 0) for name, test in SIGNALS.items()
             if test(attrs, settings)}
    return max(0, min(100, sum(fired.values()))), fired
