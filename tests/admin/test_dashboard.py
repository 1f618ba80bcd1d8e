"""The dashboard: counts, and the live feed's Socket.IO namespace (staff only)."""
import re

from app.live import socketio_for
from app.live import NAMESPACE


def _stat(html: str, key: str) -> int:
    match = re.search(rf'id="stat-{key}".*?bo-stat-value">(\d+)<', html, re.S)
    assert match, key
    return int(match.group(1))


def test_counts(login_as, factories):
    factories.user()
    factories.user()
    key, _ = factories.api_key()
    bo, _ = login_as("admin")
    html = bo.get("/admin/").get_data(as_text=True)
    assert _stat(html, "users") == 2
    assert _stat(html, "staff") == 1
    assert _stat(html, "api_keys") == 1
    assert _stat(html, "failed_deliveries") == 0
    assert 'data-namespace="/backoffice"' in html


def test_live_feed_refuses_anonymous_and_streams_events_to_staff(app, browser, login_as,
                                                                 factories):
    with app.app_context():
        anonymous = socketio_for(app).test_client(app, namespace=NAMESPACE,
                                         flask_test_client=browser().client)
    assert not anonymous.is_connected(NAMESPACE)

    bo, _ = login_as("support")
    with app.app_context():
        staff_socket = socketio_for(app).test_client(app, namespace=NAMESPACE,
                                            flask_test_client=bo.client)
    assert staff_socket.is_connected(NAMESPACE)
    staff_socket.get_received(NAMESPACE)

    user = factories.user()
    received = staff_socket.get_received(NAMESPACE)
    events = [r["args"][0] for r in received if r["name"] == "event"]
    assert any(e["type"] == "user.registered" and e["payload"]["user_id"] == str(user.id)
               for e in events), received
    staff_socket.disconnect(NAMESPACE)
