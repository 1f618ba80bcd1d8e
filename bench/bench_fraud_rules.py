"""One order evaluated against 50 fraud rules, in process: the p99 of ``engine.decide``
(the risk score and the rules in position order) over the compiled rules of a check, none
of which matches, so every one is evaluated (the worst case of first-match-wins). Goal:
p99 under 5 ms. The same 50 conditions written as plain Python lambdas are the baseline,
measured in the same run: the ratio says what the rule language costs over hand code.

No database and no HTTP: the check reads its rules and lists in two statements and its
counters in one Redis round trip; those are I/O, measured by the order and payment
benchmarks, not here."""
from __future__ import annotations

import gc
import statistics
import time
import uuid

from bench.inproc import LOWER, InProcessComparison, fmt

DESCRIPTION = "p99 ms to evaluate one order against 50 rules (engine.decide), goal < 5 ms"
GOAL_MS = 5.0
RULES = 50

# Ten shapes, five variants each: what rule sets look like (amounts, countries, lists,
# velocity, age, score), with thresholds no order here reaches.
_SHAPES = [
    ('amount > {n}00000 and currency == "GBP"', lambda a, n: a["amount"] > n * 100000
     and a["currency"].lower() == "gbp"),
    ('ip_country != billing_country and amount > {n}0000', lambda a, n: a["ip_country"]
     .lower() != a["billing_country"].lower() and a["amount"] > n * 10000),
    ('shipping_country in ["NG", "RU", "KP", "IR", "X{n}"]', lambda a, n: a["shipping_country"]
     .lower() in {"ng", "ru", "kp", "ir", f"x{n}"}),
    ("email_domain in @blocked_domains and account_age_days < {n}",
     lambda a, n: a["email_domain"] in BLOCKED and a["account_age_days"] < n),
    ("is_disposable_email and amount > {n}000", lambda a, n: a["is_disposable_email"]
     and a["amount"] > n * 1000),
    ("orders_per_customer_1h > {n}0 or orders_per_ip_1h > {n}5",
     lambda a, n: a["orders_per_customer_1h"] > n * 10 or a["orders_per_ip_1h"] > n * 10 + 5),
    ("failed_payments_per_card_24h >= {n}0", lambda a, n: a["failed_payments_per_card_24h"]
     >= n * 10),
    ("not email_verified and amount > {n}00000", lambda a, n: not a["email_verified"]
     and a["amount"] > n * 100000),
    ("risk_score >= 9{n} and stage == \"payment\"", lambda a, n: a["risk_score"] >= 90 + n
     and a["stage"] == "payment"),
    ("(line_count > {n}0 and amount > 50000) or on_blocklist", lambda a, n:
     (a["line_count"] > n * 10 and a["amount"] > 50000) or a["on_blocklist"]),
]
BLOCKED = frozenset({"evil.example", "fraud.example"})


class _Rule:
    def __init__(self, i: int, text: str):
        self.id, self.name, self.expression = uuid.uuid4(), f"rule {i}", text
        self.action, self.position, self.enabled = ("block", "review")[i % 2], i, True


def _attrs() -> dict:
    from app.fraud import velocity

    attrs = {"stage": "order", "amount": 9000, "currency": "GBP", "line_count": 3,
             "billing_country": "GB", "shipping_country": "GB", "ip": "198.51.100.1",
             "ip_country": "GB", "card_country": None, "card_fingerprint": None,
             "payment_method": None, "customer_id": str(uuid.uuid4()),
             "email": "ann@shop.example", "email_domain": "shop.example",
             "is_disposable_email": False, "email_verified": True, "account_age_days": 40.0,
             "on_allowlist": False, "on_blocklist": False}
    attrs.update({name: 0 for name in velocity.attribute_names()})
    return attrs


def _p99(fn, duration: float) -> tuple[float, int]:
    times = []
    started = time.perf_counter()
    while True:
        t = time.perf_counter()
        fn()
        now = time.perf_counter()
        times.append(now - t)
        if now - started >= duration and len(times) >= 100:
            break
    times.sort()
    return times[int(len(times) * 0.99) - 1] * 1000, len(times)


def run(ctx):
    from app.fraud import engine, score as scoring

    texts = [(shape.format(n=n), fn, n) for n in range(1, 6) for shape, fn in _SHAPES]
    compiled = engine.compile_rules([_Rule(i, t) for i, (t, _, _) in enumerate(texts[:RULES])])
    assert len(compiled) == RULES
    lists = {"blocked_domains": BLOCKED}
    settings = scoring.settings_from({"FRAUD_HIGH_AMOUNT": {"*": 100000}}, "GBP")
    base = _attrs()

    def with_engine():
        decision = engine.decide(compiled, dict(base), lists, settings, (65, 90))
        assert decision.rule_name is None  # nothing matched: all 50 were evaluated

    hand = [(fn, n) for _, fn, n in texts[:RULES]]

    def by_hand():
        attrs = dict(base)
        attrs["risk_score"] = scoring.score(attrs, settings)[0]
        for fn, n in hand:
            if fn(attrs, n):
                raise AssertionError("nothing should match")

    s = ctx.settings
    for fn in (with_engine, by_hand):
        _p99(fn, s.warmup)
    p99s, base_p99s, ratios, calls = [], [], [], []
    for i in range(s.pairs):
        order = ((with_engine, p99s), (by_hand, base_p99s))
        for fn, into in (order if i % 2 == 0 else order[::-1]):
            gc.collect()
            p99, n = _p99(fn, s.duration)
            into.append(p99)
            if fn is with_engine:
                calls.append(n)
        ratios.append(p99s[-1] / base_p99s[-1])
        ctx.out(f"    pair {i + 1}/{s.pairs}: p99 {p99s[-1]:.3f} ms / hand-written "
                f"{base_p99s[-1]:.3f} ms")
    result = InProcessComparison(
        label="fraud_rules", ratios=p99s, goal=GOAL_MS, better=LOWER,
        unit="p99 ms per order, 50 rules",
        sides=[f"A engine.decide, 50 compiled rules: p99 ms {fmt(p99s, '.3f')} "
               f"(median {statistics.median(p99s):.3f}; {sum(calls):,} evaluations)",
               f"B the same 50 conditions as Python lambdas: p99 ms {fmt(base_p99s, '.3f')}"])
    result.checks.append(InProcessComparison(
        label="rule language / hand-written Python", ratios=ratios, goal=None,
        unit="p99 ratio A/B"))
    return result
