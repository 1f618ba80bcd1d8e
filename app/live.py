"""Socket.IO for the back office: staff-only, authenticated by the staff session.

With REDIS_URL set the server uses Redis as message queue, so a worker process can
emit to browsers connected to any web process.
"""
from flask_login import current_user
from flask_socketio import join_room

from app.extensions import socketio

NAMESPACE = "/backoffice"
STAFF_ROOM = "staff"


def emit_to_staff(event: str, data: dict) -> None:
    socketio.emit(event, data, to=STAFF_ROOM, namespace=NAMESPACE)


def init_app(app) -> None:
    redis_url = app.config.get("REDIS_URL")
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=redis_url,
        # cors_allowed_origins left unset: same origin as the Host only, and the back
        # office is served by this app.
        logger=False,
        engineio_logger=False,
    )


@socketio.on("connect", namespace=NAMESPACE)
def _connect(auth=None):
    if not getattr(current_user, "is_authenticated", False) or not getattr(
        current_user, "is_staff", False
    ):
        return False  # refuses the connection
    join_room(STAFF_ROOM)
    return True
