"""A real server and a real browser: the back office as staff use it.

The server is the app on its own SQLite database (owned by these tests), served by
Werkzeug in a background thread with Socket.IO in threading mode, exactly the embedded
default. The browser is Debian's Chromium driven by Playwright; nothing is downloaded.
"""
from __future__ import annotations

import os
import threading

import pytest

from tests import services
from tests.conftest import _make_app, _migrate, free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_missing() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


class LiveServer:
    def __init__(self, app, url, socket_server):
        self.app, self.url, self.socket_server = app, url, socket_server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    from werkzeug.serving import make_server

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("e2e")
    # PUBLIC_BASE_URL: links the app builds (emails, redirects) point at this server.
    app = _make_app(f"sqlite:///{folder / 'e2e.sqlite3'}", str(folder), PUBLIC_BASE_URL=url)
    _migrate(app)
    socket_server = app.extensions["nextgen_socketio"].server
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, url, socket_server)
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def server(live_server):
    return live_server


@pytest.fixture(scope="session")
def chromium():
    services.need(_browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(viewport={"width": 1366, "height": 860}, base_url=server.url)
    # Every Content-Security-Policy violation on any page the test visits, reported two
    # ways (the DOM event, and Chromium's console message), fails the test.
    violations: list[str] = []
    context.expose_function("__cspViolation", lambda text: violations.append(text))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolation("
        "`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}"
        " (${e.sourceFile}:${e.lineNumber})`));")
    page = context.new_page()
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.set_default_timeout(10_000)
    try:
        yield page
        assert not violations, f"Content-Security-Policy violations: {violations}"
    finally:
        context.close()
