"""gunicorn settings the Procfile's web command loads (the command line adds the rest)."""


def child_exit(server, worker):
    # Several workers count into PROMETHEUS_MULTIPROC_DIR; a dead one's live gauges go.
    from app.metrics import mark_process_dead

    mark_process_dead(worker.pid)
