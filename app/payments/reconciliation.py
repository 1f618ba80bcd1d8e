"""Reconciliation: the gateways' recent payments and refunds compared with ours.

A succeeded charge (or refund) we still hold as open is a webhook we missed: it is
healed through the same functions the webhooks use (payments.apply, refunds.record), so
the order, the invoice, the receipt and the events follow as if the webhook had come.
Anything else that differs (amount, currency, status, a charge or refund we do not
know) becomes a row of the reconciliation report with the difference named; nothing is
changed for it: a person decides.

The runner (jobs.periodic.reconcile_payments) reads ``ours`` in one transaction, calls
``fetch`` with none open, and applies ``compare`` in another (no lock is held while a
gateway answers).
"""
from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from app.core.types import utcnow
from app.extensions import db
from app.payments import gateways, refunds, rules, service as payments
from app.payments.gateways import Remote
from app.payments.models import Payment
from app.payments.reconciliation_models import ReconciliationItem
from app.payments.webhooks import find_payment

log = logging.getLogger(__name__)


def window_start(now: datetime | None = None) -> datetime:
    hours = current_app.config["RECONCILE_WINDOW_HOURS"]
    return (now or utcnow()) - timedelta(hours=hours)


def gateways_to_check() -> list[str]:
    """The configured gateways (one without keys has nothing to compare)."""
    return [name for name in gateways.names() if gateways.configured(gateways.get(name))]


def ours(gateway_name: str, since: datetime) -> list[tuple[str, str]]:
    """(our id, gateway id) of the gateway's payments created in the window, and of the
    older ones still open: what a gateway that cannot list is asked about one by one."""
    rows = db.session.execute(select(Payment.id, Payment.gateway_payment_id).where(
        Payment.gateway == gateway_name, Payment.gateway_payment_id.is_not(None),
        or_(Payment.created_at >= since, Payment.status.in_(rules.OPEN)))
        .order_by(Payment.created_at)).all()
    return [(str(pid), gid) for pid, gid in rows]


def fetch(gateway_name: str, since: datetime, open_payments: list) -> list[Remote]:
    return gateways.get(gateway_name).recent(since, open_payments)


def compare(gateway_name: str, remotes: list[Remote]) -> Counter:
    """Heal what a missed webhook left open; report every other difference."""
    counts = Counter()
    for remote in remotes:
        check = _payment if remote.kind == "payment" else _refund
        counts[check(gateway_name, remote) or "ok"] += 1
    db.session.flush()
    return counts


def _money(amount, currency) -> str:
    return f"{amount} {currency}" if amount is not None else "?"


def _payment(gateway_name: str, remote: Remote) -> str | None:
    payment = find_payment(remote.our_id, remote.gateway_id)
    if payment is None:
        if remote.status != "succeeded":
            return None  # no money moved: an abandoned attempt is not a charge
        return _note(gateway_name, remote, "unknown_payment", theirs=_money(
            remote.amount, remote.currency), detail="The gateway holds a succeeded charge "
            "that no payment of ours knows.")
    if remote.amount is not None and remote.amount != payment.amount:
        return _note(gateway_name, remote, "amount_mismatch", payment=payment,
                     ours=_money(payment.amount, payment.currency),
                     theirs=_money(remote.amount, remote.currency),
                     detail=f"Amounts differ by {remote.amount - payment.amount} minor units.")
    if remote.currency and remote.currency != payment.currency:
        return _note(gateway_name, remote, "currency_mismatch", payment=payment,
                     ours=payment.currency, theirs=remote.currency,
                     detail="The gateway charged another currency.")
    if remote.status == "succeeded" and rules.moves_forward(payment.status, "succeeded"):
        before = payment.status
        payments.apply(payments.locked(payment.id), "succeeded", remote.outcome)
        log.warning("reconciliation healed %s payment %s: %s -> succeeded", gateway_name,
                    payment.id, before)
        return _note(gateway_name, remote, "healed_missed_webhook", payment=payment,
                     ours=before, theirs="succeeded",
                     detail="Succeeded at the gateway, held as open here (a missed "
                            "webhook): marked succeeded, order and invoice paid.")
    # Both unpaid (failed here, awaiting the buyer there, ...) is no difference in money.
    paid_here = payment.status in ("succeeded", "refunded")
    paid_there = remote.status == "succeeded"
    if paid_here != paid_there:
        return _note(gateway_name, remote, "status_mismatch", payment=payment,
                     ours=payment.status, theirs=remote.status,
                     detail="Paid here, not at the gateway." if paid_here else
                     "Paid at the gateway, not here.")
    return None


def _refund(gateway_name: str, remote: Remote) -> str | None:
    refund = refunds.find(remote.gateway_id, remote.our_id)
    if refund is None:
        if remote.status != "succeeded":
            return None
        return _note(gateway_name, remote, "unknown_refund", theirs=_money(
            remote.amount, remote.currency), detail="The gateway refunded money that no "
            "refund of ours knows.")
    if remote.amount is not None and remote.amount != refund.amount:
        return _note(gateway_name, remote, "amount_mismatch", payment_id=refund.payment_id,
                     refund_id=refund.id, ours=_money(refund.amount, refund.currency),
                     theirs=_money(remote.amount, remote.currency),
                     detail=f"Refund amounts differ by {remote.amount - refund.amount} "
                            "minor units.")
    if refund.status == "pending" and remote.status in ("succeeded", "failed"):
        refunds.record(refund.id, remote.outcome)
        return _note(gateway_name, remote, "healed_missed_webhook", payment_id=refund.payment_id,
                     refund_id=refund.id, ours="pending", theirs=remote.status,
                     detail=f"Refund {remote.status} at the gateway, pending here: recorded.")
    if remote.status != "pending" and remote.status != refund.status:
        return _note(gateway_name, remote, "status_mismatch", payment_id=refund.payment_id,
                     refund_id=refund.id, ours=refund.status, theirs=remote.status,
                     detail="The gateway and we disagree on the refund.")
    return None


def _note(gateway_name: str, remote: Remote, issue: str, *, payment: Payment | None = None,
          payment_id=None, refund_id=None, ours: str | None = None, theirs: str | None = None,
          detail: str = "") -> str:
    """The report's row for (gateway, object, issue): new, or seen once more."""
    now = utcnow()
    row = db.session.scalars(select(ReconciliationItem).where(
        ReconciliationItem.gateway == gateway_name,
        ReconciliationItem.gateway_object_id == remote.gateway_id[:255],
        ReconciliationItem.issue == issue)).first()
    if row is None:
        row = ReconciliationItem(gateway=gateway_name, kind=remote.kind,
                                 gateway_object_id=remote.gateway_id[:255], issue=issue,
                                 first_seen_at=now, times_seen=0)
        db.session.add(row)
    row.payment_id = payment.id if payment is not None else payment_id
    row.refund_id = refund_id
    row.ours, row.theirs = (ours or None) and ours[:200], (theirs or None) and theirs[:200]
    row.detail, row.last_seen_at = detail[:500], now
    row.times_seen = (row.times_seen or 0) + 1
    return issue
