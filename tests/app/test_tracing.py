"""OpenTelemetry (optional): one trace from the request to the job it enqueued, through
real Redis and an RQ worker in this process (the in-memory exporter cannot cross
processes; the worker class is the Procfile worker's job wrapper on RQ's SimpleWorker)."""
from __future__ import annotations

import pytest
from rq import Queue, SimpleWorker

from tests import services
from tests.conftest import make_client, own_app
from tests.factories import PASSWORD


@pytest.fixture
def traced_app(tmp_path):
    services.need(services.redis_available())
    import redis

    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from app import tracing

    redis.Redis.from_url(services.REDIS_URL).flushdb()
    with own_app(tmp_path, REDIS_URL=services.REDIS_URL, JOBS_INLINE="0") as app:
        exporter = InMemorySpanExporter()
        tracing.init_app(app, exporter=exporter)
        try:
            yield app, exporter
        finally:
            RedisInstrumentor().uninstrument()
            RequestsInstrumentor().uninstrument()
            redis.Redis.from_url(services.REDIS_URL).flushdb()


def test_the_job_a_request_enqueued_is_in_the_request_s_trace(traced_app):
    from app.core.redis import get_redis
    from jobs.worker import AppJobMixin

    app, exporter = traced_app
    resp = make_client(app).post("/api/v1/auth/register",
                                 json={"email": "t@example.com", "password": PASSWORD})
    assert resp.status_code == 202
    conn = get_redis(app)
    [job] = Queue("email", connection=conn).get_jobs()
    assert job.meta["traceparent"].startswith("00-")

    class InProcessWorker(AppJobMixin, SimpleWorker):
        flask_app = app

    InProcessWorker([Queue("email", connection=conn)], connection=conn).work(burst=True)
    spans = exporter.get_finished_spans()
    [request_span] = [s for s in spans if s.name.startswith("POST")]
    # The event's job, then the notification job it enqueued: one trace, each the parent
    # of the next.
    job_span, send_span = sorted((s for s in spans if s.name.startswith("job ")),
                                 key=lambda s: s.start_time)
    assert job_span.context.trace_id == request_span.context.trace_id
    assert job_span.parent.span_id == request_span.context.span_id
    assert send_span.context.trace_id == request_span.context.trace_id
    assert send_span.parent.span_id == job_span.context.span_id
    assert job_span.attributes["messaging.destination.name"] == "email"
    # The request's own SQL and Redis work, and the job's SQL, in the same trace.
    in_trace = [s for s in spans if s.context.trace_id == request_span.context.trace_id]
    assert any(s.parent and s.parent.span_id == job_span.context.span_id for s in in_trace)
    assert any(s.attributes.get("db.system") == "redis" or
               s.attributes.get("db.system.name") == "redis" for s in in_trace)


def test_tracing_is_off_unless_configured(app):
    from app import tracing

    assert "nextgen_tracer_provider" not in app.extensions
    with app.test_request_context():
        assert tracing.carrier() == {}
