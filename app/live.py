"""Socket.IO for the back office: staff-only, authenticated by the staff session.

One SocketIO server per app (created in the factory, like Admin), so several apps in one
process (tests, or a worker next to a web app) never share a server. With REDIS_URL set
it uses Redis as message queue, so a worker process can emit to browsers connected to any
web process.
"""
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_login import current_user
from flask_socketio import SocketIO, join_room

NAMESPACE = "/backoffice"
STAFF_ROOM = "staff"


def socketio_for(app: Flask | None = None) -> SocketIO:
    return (app or current_app).extensions["nextgen_socketio"]


def emit_to_staff(event: str, data: dict) -> None:
    socketio_for().emit(event, data, to=STAFF_ROOM, namespace=NAMESPACE)


def job_progress(job: str, ident, *, done: int, total: int | None, status: str, text: str,
                 url: str | None = None) -> None:
    """A long job's progress on the dashboard, worded for people ("ZIP of invoice PDFs:
    40 of 120"): ``job`` names the kind, ``ident`` the run, ``status`` is running, done or
    failed. A courtesy: the job's own rows are the record, so a broadcast that fails
    (Redis down) never fails the job."""
    try:
        emit_to_staff("job_progress", {"job": job, "id": str(ident), "done": done,
                                       "total": total, "status": status, "text": text,
                                       "url": url})
    except Exception:
        current_app.logger.warning("job progress broadcast failed", exc_info=True)


def init_app(app: Flask) -> SocketIO:
    sio = SocketIO(
        app,
        async_mode="threading",
        message_queue=app.config.get("REDIS_URL"),
        # Redis pub/sub ignores database numbers: without a channel of its own, two
        # deployments sharing a Redis server (staging on db 1, production on db 0) would
        # show each other's orders in their live feeds.
        channel=_channel(app.config.get("REDIS_URL")),
        # cors_allowed_origins left unset: same origin as the Host only, and the back
        # office is served by this app.
        logger=False,
        engineio_logger=False,
    )
    sio.on_event("connect", _connect, namespace=NAMESPACE)
    app.extensions["nextgen_socketio"] = sio
    app.wsgi_app = _only_socketio_paths(app.wsgi_app)
    return sio


def _channel(redis_url: str | None) -> str:
    database = urlsplit(redis_url or "").path.strip("/") or "0"
    return f"nextgen-live-db{database}"


def _only_socketio_paths(middleware):
    """Flask-SocketIO's middleware copies every request's environ and builds a class for
    it under gunicorn before looking at the path; only Socket.IO's own path needs it."""
    prefix = middleware.engineio_path  # "/socket.io/"
    plain = middleware.wsgi_app

    def dispatch(environ, start_response):
        if (environ.get("PATH_INFO") or "").startswith(prefix):
            return middleware(environ, start_response)
        return plain(environ, start_response)

    dispatch.socketio_middleware = middleware
    return dispatch


def _connect(auth=None):
    if not getattr(current_user, "is_authenticated", False) or not getattr(
        current_user, "is_staff", False
    ):
        return False  # refuses the connection
    if getattr(current_user, "mfa_pending", False):
        return False  # password given, second factor still owed
    join_room(STAFF_ROOM)
    return True


# What the back office is told live, worded for people. Each entry: the kind, the counter
# badges it moves, and how to describe it. Everything else stays in the outbox only.
def announce(evt_type: str, payload: dict) -> dict | None:
    """The message for one committed event, or None when staff need not see it live.
    Reads the rows the event names (it runs after commit, outside the transaction)."""
    describe = _DESCRIBERS.get(evt_type)
    if describe is None:
        return None
    return describe(evt_type, payload)


def broadcast(evt_type: str, payload: dict) -> None:
    message = announce(evt_type, payload)
    if message is not None:
        emit_to_staff("activity", message)


def _customer_name(customer_id) -> str:
    from app.extensions import db
    from app.users.models import User

    user = db.session.get(User, customer_id) if customer_id else None
    if user is None:
        return "an unknown customer"
    return user.full_name or user.email


def _order_phrase(order) -> str:
    from app.orders.numbering import label

    return f"order {label(order.number)}" if order is not None else "an order"


def _paid_for(payment) -> str:
    """What a payment was for, by name: its order, or the invoice paid without one."""
    from app.extensions import db
    from app.invoices.models import Invoice
    from app.orders.models import Order

    if payment.order_id is not None:
        return _order_phrase(db.session.get(Order, payment.order_id))
    invoice = db.session.get(Invoice, payment.invoice_id) if payment.invoice_id else None
    return f"invoice {invoice.number}" if invoice is not None and invoice.number \
        else "an invoice"


def _order_placed(_evt_type: str, payload: dict) -> dict | None:
    from app.core.money import format_amount
    from app.core.types import as_uuid
    from app.extensions import db
    from app.orders.models import Order
    from app.orders.numbering import label

    order = db.session.get(Order, as_uuid(payload.get("order_id")))
    if order is None:
        return None
    return {"kind": "order", "level": "info", "counters": ["orders_today",
                                                           "orders_awaiting_payment"],
            "text": f"Order {label(order.number)} by {_customer_name(order.customer_id)}, "
                    f"{format_amount(order.total_amount, order.currency)}",
            "url": f"/admin/orders/details/?id={order.id}"}


def _payment(evt_type: str, payload: dict) -> dict | None:
    from app.core.money import format_amount
    from app.core.types import as_uuid
    from app.extensions import db
    from app.payments.models import Payment

    payment_id = as_uuid(payload.get("payment_id"))
    payment = db.session.get(Payment, payment_id) if payment_id else None
    if payment is None:
        return None
    ok = evt_type == "payment.succeeded"
    return {"kind": "payment", "level": "success" if ok else "danger",
            "counters": ["payments_succeeded" if ok else "payments_failed"],
            "text": f"Payment {'received' if ok else 'failed'}: "
                    f"{format_amount(payment.amount, payment.currency)} for "
                    f"{_paid_for(payment)} by {_customer_name(payment.customer_id)}",
            "url": f"/admin/payments/details/?id={payment.id}"}


def _refund(_evt_type: str, payload: dict) -> dict | None:
    from app.core.money import format_amount
    from app.core.types import as_uuid
    from app.extensions import db
    from app.payments.models import Refund

    refund = db.session.get(Refund, as_uuid(payload.get("refund_id")))
    if refund is None:
        return None
    payment = refund.payment
    return {"kind": "refund", "level": "info", "counters": ["refunds"],
            "text": f"Refund of {format_amount(refund.amount, refund.currency)} for "
                    f"{_paid_for(payment)} by {_customer_name(payment.customer_id)}",
            "url": f"/admin/payments/details/?id={payment.id}"}


_DESCRIBERS = {
    "order.placed": _order_placed,
    "payment.succeeded": _payment,
    "payment.failed": _payment,
    "refund.succeeded": _refund,
}
