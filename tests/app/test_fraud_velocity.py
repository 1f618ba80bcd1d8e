"""Velocity counters: exact windows, counted once per id, shared through Redis by every
process (two worker processes count into the same counter), in-process without Redis."""
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
import redis as redis_lib
from flask import Flask

from app.fraud import velocity
from tests import services

# One worker process: a bare app of its own (its own Redis connection), counting orders.
_WORKER = textwrap.dedent("""
    import sys
    from flask import Flask
    from app.fraud import velocity

    app = Flask("worker")
    app.config["REDIS_URL"] = sys.argv[1]
    with app.app_context():
        for member in sys.argv[3:]:
            velocity.record("orders", member, {"customer": sys.argv[2], "ip": "198.51.100.7"})
""")


def _bare_app(redis_url=None) -> Flask:
    app = Flask("velocity-test")
    app.config["REDIS_URL"] = redis_url
    return app


@pytest.fixture
def redis_url():
    services.need(services.redis_available())
    conn = redis_lib.Redis.from_url(services.REDIS_URL)
    for key in conn.scan_iter(f"{velocity.PREFIX}:*"):
        conn.delete(key)
    yield services.REDIS_URL
    for key in conn.scan_iter(f"{velocity.PREFIX}:*"):
        conn.delete(key)


def test_two_processes_count_into_the_same_redis_counter(redis_url):
    customer = str(uuid.uuid4())
    shared = str(uuid.uuid4())  # the same order seen by both (a retried job): counted once
    batches = [[str(uuid.uuid4()) for _ in range(5)] + [shared] for _ in range(2)]
    workers = [subprocess.Popen([sys.executable, "-c", _WORKER, redis_url, customer, *batch])
               for batch in batches]
    assert [w.wait(timeout=60) for w in workers] == [0, 0]
    app = _bare_app(redis_url)
    with app.app_context():
        found = velocity.read({"customer": customer, "ip": "198.51.100.7", "email": None})
    assert found["orders_per_customer_1h"] == 11
    assert found["orders_per_ip_24h"] == 11
    assert found["orders_per_email_1h"] == 0  # no email given: no counter
    assert found["failed_payments_per_customer_1h"] == 0


def test_windows_are_exact_in_redis(redis_url):
    app = _bare_app(redis_url)
    now = time.time()
    with app.app_context():
        for age in (10, 3599, 3601, 23 * 3600, 25 * 3600, 8 * 86400):
            velocity.record("failed_payments", f"p-{age}", {"card": "fp_1"}, at=now - age)
        found = velocity.read({"card": "fp_1"}, now=now)
    assert (found["failed_payments_per_card_1h"], found["failed_payments_per_card_24h"],
            found["failed_payments_per_card_7d"]) == (2, 4, 5)
    # Older than the longest window: trimmed on write, not just hidden.
    key = f"{velocity.PREFIX}:failed_payments:card:fp_1"
    assert redis_lib.Redis.from_url(redis_url).zcard(key) == 5


def test_without_redis_the_counters_live_in_the_process():
    app, other = _bare_app(), _bare_app()
    now = time.time()
    with app.app_context():
        assert isinstance(velocity.store(), velocity.MemoryStore)
        velocity.record("orders", "o1", {"email": "A@x.test"}, at=now - 7200)
        velocity.record("orders", "o2", {"email": "a@x.test"}, at=now)
        velocity.record("orders", "o2", {"email": "a@x.test"}, at=now)  # once per id
        found = velocity.read({"email": "a@X.test"}, now=now)
    assert (found["orders_per_email_1h"], found["orders_per_email_24h"]) == (1, 2)
    with other.app_context():  # another app (process) has its own: nothing to share with
        assert velocity.read({"email": "a@x.test"}, now=now)["orders_per_email_24h"] == 0
