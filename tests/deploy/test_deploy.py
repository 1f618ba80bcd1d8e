"""deploy/: the alert rules and the Grafana dashboard load and name only metrics the app
exports; backup then restore into a fresh database gives back every row; the catalogue
list reads from the replica when one is configured."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from tests import services

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
_FUNCTIONS = {"sum", "rate", "increase", "delta", "max", "min", "by", "histogram_quantile",
              "clamp_min", "and", "or", "le", "up", "avg", "count"}


def exported_metric_names() -> set[str]:
    """Every series name app/metrics.py can expose, with the suffixes Prometheus adds."""
    source = (ROOT / "app" / "metrics.py").read_text()
    bases = set(re.findall(r'(?:Counter|Histogram|MetricFamily)\(\s*"([a-z_]+)"', source))
    bases |= set(re.findall(r'"(business_[a-z_]+)"', source))
    names = set()
    for base in bases:
        names |= {base, f"{base}_total", f"{base}_bucket", f"{base}_count", f"{base}_sum"}
    return names | {"up"}


def metric_names_in(expr: str) -> set[str]:
    without_labels = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"", "", expr)
    words = set(re.findall(r"\b[a-z_][a-z0-9_]*\b", without_labels))
    return {w for w in words if w not in _FUNCTIONS and "_" in w and not w.startswith("by")} \
        - {"endpoint", "queue", "currency", "status", "kind", "state"}


def test_alert_rules_are_valid_and_use_exported_metrics():
    rules = yaml.safe_load((DEPLOY / "prometheus-alerts.yml").read_text())
    exported = exported_metric_names()
    seen = 0
    for group in rules["groups"]:
        assert group["name"] and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", rule["alert"])
            assert re.fullmatch(r"\d+[smh]", rule["for"]), rule
            assert rule["labels"]["severity"] in ("page", "warn")
            assert rule["annotations"]["summary"]
            assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]
            unknown = metric_names_in(rule["expr"]) - exported
            assert not unknown, (rule["alert"], unknown)
            seen += 1
    assert seen >= 8


def test_grafana_dashboard_is_valid_and_uses_exported_metrics():
    dash = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    exported = exported_metric_names()
    assert dash["uid"] and dash["panels"]
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids))
    covered = set()
    for panel in dash["panels"]:
        for target in panel["targets"]:
            names = metric_names_in(target["expr"])
            assert names and not names - exported, (panel["title"], names - exported)
            covered |= names
    for needed in ("http_request_duration_seconds_bucket", "rq_queue_jobs", "rq_jobs_total",
                   "outbox_lag_seconds", "deliveries_failed", "business_revenue_minor_total",
                   "business_orders_placed_total", "business_refunded_minor_total"):
        assert needed in covered, needed


def _admin_engine():
    return create_engine(services.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _fresh_database(name: str) -> str:
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return services.pg_url(name)


def _drop_database(name: str) -> None:
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _row_counts(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                   "ORDER BY tablename")).scalars().all()
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
    engine.dispose()
    return counts


def _script(name: str, *args, **env):
    return subprocess.run([str(DEPLOY / name), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


@pytest.fixture
def restored(pg_app, factories, tmp_path):
    """The test database with some of everything, backed up and restored into a fresh one."""
    from app.audit import service as audit
    from app.core.actor import Actor
    from app.extensions import db
    from tests import orders_support

    for i in range(3):
        factories.user()
    orders_support.product(name="Before the backup")
    audit.record(Actor.system(), "backup.test", "thing", "1", after={"note": "Zoë"})
    db.session.commit()
    name = f"{services.PG_TEST_DB}_restored"
    target = _fresh_database(name)
    dump = tmp_path / "backup.dump"
    try:
        done = _script("backup.sh", str(dump), DATABASE_URL=pg_app.config["SQLALCHEMY_DATABASE_URI"])
        assert done.returncode == 0, done.stderr
        assert dump.exists() and not (tmp_path / "backup.dump.part").exists()
        done = _script("restore.sh", str(dump), TARGET_DATABASE_URL=target)
        assert done.returncode == 0, done.stderr
        yield pg_app, target, dump
    finally:
        _drop_database(name)


def test_backup_then_restore_gives_back_every_row(restored):
    from app.audit import chain

    app, target, dump = restored
    source = _row_counts(app.config["SQLALCHEMY_DATABASE_URI"])
    copy = _row_counts(target)
    assert copy == source
    assert source["users"] >= 3 and source["products"] >= 1 and source["audit_entries"] >= 4
    engine = create_engine(target)
    with engine.connect() as conn:
        assert chain.verify(conn).ok  # the audit chain survives the round trip
    engine.dispose()
    # Restoring over a database that has tables is refused.
    again = _script("restore.sh", str(dump), TARGET_DATABASE_URL=target)
    assert again.returncode == 2 and "refusing" in again.stderr


def test_the_catalogue_list_reads_from_the_replica_when_configured(restored, monkeypatch):
    """The restored copy stands in for a replica that has not yet received the newest
    product: the public list (replica) lacks it, the product page (primary) has it."""
    from tests import orders_support
    from tests.conftest import make_client

    app, target, _ = restored
    newer = orders_support.product(name="After the backup")
    client = make_client(app)
    names = lambda: {p["name"] for p in client.get("/api/v1/products?page_size=100").get_json()["data"]}  # noqa: E731
    assert {"Before the backup", "After the backup"} <= names()
    monkeypatch.setitem(app.config, "DATABASE_REPLICA_URL", target)
    monkeypatch.delitem(app.extensions, "nextgen_replica_engine", raising=False)
    try:
        listed = names()
        assert "Before the backup" in listed and "After the backup" not in listed
        assert client.get(f"/api/v1/products/{newer.id}").status_code == 200
    finally:
        engine = app.extensions.pop("nextgen_replica_engine", None)
        if engine is not None:
            engine.dispose()
