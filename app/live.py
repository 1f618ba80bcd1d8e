"""Socket.IO for the back office: staff-only, authenticated by the staff session.

One SocketIO server per app (created in the factory, like Admin), so several apps in one
process (tests, or a worker next to a web app) never share a server. With REDIS_URL set
it uses Redis as message queue, so a worker process can emit to browsers connected to any
web process.
"""
from flask import Flask, current_app
from flask_login import current_user
from flask_socketio import SocketIO, join_room

NAMESPACE = "/backoffice"
STAFF_ROOM = "staff"


def socketio_for(app: Flask | None = None) -> SocketIO:
    return (app or current_app).extensions["nextgen_socketio"]


def emit_to_staff(event: str, data: dict) -> None:
    socketio_for().emit(event, data, to=STAFF_ROOM, namespace=NAMESPACE)


def init_app(app: Flask) -> SocketIO:
    sio = SocketIO(
        app,
        async_mode="threading",
        message_queue=app.config.get("REDIS_URL"),
        # cors_allowed_origins left unset: same origin as the Host only, and the back
        # office is served by this app.
        logger=False,
        engineio_logger=False,
    )
    sio.on_event("connect", _connect, namespace=NAMESPACE)
    app.extensions["nextgen_socketio"] = sio
    return sio


def _connect(auth=None):
    if not getattr(current_user, "is_authenticated", False) or not getattr(
        current_user, "is_staff", False
    ):
        return False  # refuses the connection
    if getattr(current_user, "mfa_pending", False):
        return False  # password given, second factor still owed
    join_room(STAFF_ROOM)
    return True
