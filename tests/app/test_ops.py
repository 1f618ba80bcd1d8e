import pytest
from sqlalchemy import create_engine


def test_readyz_reports_ok(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200
    assert resp.get_json()["checks"]["database"] == "ok"


def test_readyz_says_which_dependency_failed(app, client, monkeypatch):
    from redis import Redis

    from app.extensions import db
    from tests.conftest import free_port

    dead_db = create_engine(f"postgresql+psycopg2://nobody@127.0.0.1:{free_port()}/x",
                            connect_args={"connect_timeout": 1})
    monkeypatch.setitem(db.engines, None, dead_db)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.extensions, "nextgen_redis",
                        Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.5))
    resp = client.get("/readyz")
    assert resp.status_code == 503
    checks = resp.get_json()["checks"]
    assert checks["database"].startswith("unreachable")
    assert checks["redis"].startswith("unreachable")


def test_metrics_exposes_request_counts(client):
    client.get("/healthz")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'http_requests_total{endpoint="ops.healthz",method="GET",status="200"}' in body


def test_me_costs_a_constant_number_of_statements(client, factories, query_counter):
    user = factories.user()
    headers = factories.bearer(factories.login(client, user.email)["access_token"])
    with query_counter() as counted:
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    assert counted.count == 1, counted.statements  # the user and its session, one join


def test_metrics_refuse_clients_outside_the_allow_list(client):
    # #13 finding 7: the counts by endpoint and status are the operator's, not the public's.
    far = {"REMOTE_ADDR": "203.0.113.5"}
    resp = client.get("/metrics", environ_base=far)
    assert resp.status_code == 403 and "http_requests_total" not in resp.get_data(as_text=True)
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_metrics_answer_the_bearer_token(client, app, monkeypatch):
    import ipaddress

    monkeypatch.setitem(app.config, "METRICS_TOKEN", "scrape-token-0123456789")
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS",
                        (ipaddress.ip_network("10.0.0.0/8"),))
    far = {"REMOTE_ADDR": "203.0.113.5"}
    denied = client.get("/metrics", environ_base=far,
                        headers={"Authorization": "Bearer wrong"})
    assert denied.status_code == 401 and denied.headers["WWW-Authenticate"].startswith("Bearer")
    ok = client.get("/metrics", environ_base=far,
                    headers={"Authorization": "Bearer scrape-token-0123456789"})
    assert ok.status_code == 200 and "http_requests_total" in ok.get_data(as_text=True)
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200


def test_metrics_allow_list_is_read_at_start():
    import config

    with pytest.raises(config.ConfigError, match="METRICS_ALLOWED_NETWORKS"):
        config.load({"APP_ENV": "testing", "SECRET_KEY": "x",
                     "METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,not-a-network"})
    cfg = config.load({"APP_ENV": "testing", "SECRET_KEY": "x", "METRICS_ALLOWED_NETWORKS": ""})
    assert cfg["METRICS_ALLOWED_NETWORKS"] == ()
