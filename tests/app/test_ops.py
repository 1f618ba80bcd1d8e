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
