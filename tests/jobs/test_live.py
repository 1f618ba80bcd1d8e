"""A job in a worker process emits to the back office through the Redis message queue."""
import threading

import socketio
from werkzeug.serving import make_server

from tests.conftest import free_port
from tests.factories import PASSWORD
from tests.jobs.test_worker import run_worker


def _staff_cookie(app, factories) -> str:
    from app.core.uow import unit_of_work
    from app.staff import service as staff_service

    member = factories.staff("support")
    with unit_of_work():
        session = staff_service.login(member.email, PASSWORD)
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": str(session.id), "_fresh": True})


def test_worker_emits_to_connected_staff_over_redis(redis_app, redis_client, smtp_server, factories):
    port = free_port()
    server = make_server("127.0.0.1", port, redis_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received, connected = [], threading.Event()
    sio = socketio.Client(reconnection=False)

    @sio.on("delivery", namespace="/backoffice")
    def _delivery(data):
        received.append(data)

    try:
        # Anonymous visitors are refused.
        anon = socketio.Client(reconnection=False)
        try:
            anon.connect(f"http://127.0.0.1:{port}", namespaces=["/backoffice"],
                         transports=["websocket"], wait_timeout=5)
            refused = False
        except socketio.exceptions.ConnectionError:
            refused = True
        finally:
            anon.disconnect()
        assert refused

        cookie = _staff_cookie(redis_app, factories)
        sio.connect(f"http://127.0.0.1:{port}", namespaces=["/backoffice"],
                    transports=["websocket"], wait_timeout=5,
                    headers={"Cookie": f"{redis_app.config.get('SESSION_COOKIE_NAME', 'session')}={cookie}"})
        connected.set()
        resp = redis_client.post("/api/v1/auth/register",
                                 json={"email": "live@example.com", "password": PASSWORD})
        assert resp.status_code == 202
        done = run_worker(redis_app, smtp_server[1], "email")
        assert done.returncode == 0, done.stderr
        for _ in range(50):
            if received:
                break
            sio.sleep(0.1)
        assert received, "no live update reached the back office"
        assert received[0]["event_type"] == "user.registered"
        assert received[0]["status"] == "done"
    finally:
        if sio.connected:
            sio.disconnect()
        server.shutdown()


def test_deployments_on_other_redis_databases_do_not_share_a_live_feed(tmp_path):
    """Redis pub/sub ignores database numbers, so the channel names the database."""
    from app.live import _channel
    from tests import services
    from tests.conftest import own_app

    base = services.REDIS_URL.rpartition("/")[0]
    with own_app(tmp_path, REDIS_URL=f"{base}/3", JOBS_INLINE="0") as app:
        assert app.extensions["nextgen_socketio"].server.manager.channel == _channel(f"{base}/3")
    assert _channel(f"{base}/3") != _channel(f"{base}/4") != _channel(f"{base}")
    assert _channel(f"{base}/0") == _channel(base)  # no number is database 0
