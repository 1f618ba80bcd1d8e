"""Optional OpenTelemetry tracing and Sentry error reporting, both off unless configured.

OTEL_EXPORTER_OTLP_ENDPOINT set: spans for Flask requests, SQLAlchemy statements, Redis
commands and outgoing `requests` calls go to that OTLP/HTTP collector; a job enqueued by a
request carries the trace context in its meta (W3C traceparent), so the job's span is a
child of the request's (request -> outbox -> job). SENTRY_DSN set: unhandled errors go to
Sentry. Neither library is imported otherwise."""
from __future__ import annotations

import contextlib
import logging

log = logging.getLogger(__name__)
_KEY = "nextgen_tracer_provider"


def init_app(app, exporter=None) -> None:
    if app.config.get("SENTRY_DSN"):
        import sentry_sdk
        from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration

        # Its SQLAlchemy integration listens on every engine and needs a connection with
        # each statement event, which the read engine's driver path (app.core.readonly)
        # fires without: it would fail those reads.
        sentry_sdk.init(dsn=app.config["SENTRY_DSN"], environment=app.config["APP_ENV"],
                        send_default_pii=False,
                        disabled_integrations=[SqlalchemyIntegration()],
                        traces_sample_rate=app.config.get("SENTRY_TRACES_SAMPLE_RATE", 0.0))
    if exporter is None and not app.config.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return
    from opentelemetry.instrumentation.flask import FlaskInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    from app.extensions import db

    provider = TracerProvider(resource=Resource.create(
        {"service.name": app.config.get("OTEL_SERVICE_NAME") or "nextgen-market"}))
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # The endpoint (and headers) come from the standard OTEL_EXPORTER_OTLP_* variables.
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    app.extensions[_KEY] = provider
    FlaskInstrumentor().instrument_app(app, tracer_provider=provider,
                                       excluded_urls="healthz,readyz,metrics")
    from app.core.readonly import read_engine, replica_engine

    with app.app_context():
        engines = {id(e): e for e in (db.engine, read_engine(app), replica_engine(app))}
        SQLAlchemyInstrumentor().instrument(engines=list(engines.values()),
                                            tracer_provider=provider)
    RedisInstrumentor().instrument(tracer_provider=provider)
    RequestsInstrumentor().instrument(tracer_provider=provider)


def carrier() -> dict:
    """The current trace context as job meta entries ({} when not tracing)."""
    from flask import current_app, has_app_context

    if not has_app_context() or _KEY not in current_app.extensions:
        return {}
    from opentelemetry import propagate

    found: dict = {}
    propagate.inject(found)
    return {k: v for k, v in found.items() if k in ("traceparent", "tracestate")}


@contextlib.contextmanager
def job_span(app, job):
    """A span around one job, child of the trace its meta carries."""
    provider = app.extensions.get(_KEY)
    if provider is None:
        yield
        return
    from opentelemetry import propagate
    from opentelemetry.trace import SpanKind

    parent = propagate.extract({k: v for k, v in (job.meta or {}).items()
                                if k in ("traceparent", "tracestate")})
    tracer = provider.get_tracer("nextgen.jobs")
    try:
        with tracer.start_as_current_span(f"job {job.func_name}", context=parent,
                                          kind=SpanKind.CONSUMER,
                                          attributes={"messaging.system": "rq",
                                                      "messaging.destination.name": job.origin,
                                                      "messaging.message.id": job.id}):
            yield
    finally:
        # A work horse ends with os._exit: what it traced must leave before.
        provider.force_flush()
