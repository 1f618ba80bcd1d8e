"""Swagger UI at /api/v1/docs works offline: every asset comes from this app."""
import re
from urllib.parse import urlparse

import pytest


@pytest.fixture
def docs_client(app_for):
    from tests.conftest import make_client

    app = app_for("sqlite")
    with app.app_context():
        yield make_client(app)


def test_swagger_ui_references_only_local_urls(docs_client):
    resp = docs_client.get("/api/v1/docs")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    urls = re.findall(r'(?:src|href)\s*=\s*"([^"]+)"', html)
    urls += re.findall(r'url\s*:\s*"([^"]+)"', html)
    assert urls, html
    for url in urls:
        parsed = urlparse(url)
        assert not parsed.scheme and not parsed.netloc, f"non-local URL in docs page: {url}"
        assert url.startswith("/api/v1/"), url
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in urls
    assert "/api/v1/openapi.json" in urls
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html), "a CDN is referenced"
    for url in urls:  # and every one of them is served
        assert docs_client.get(url).status_code == 200, url


def test_swagger_ui_bundle_is_served_as_javascript(docs_client):
    resp = docs_client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert resp.status_code == 200
    assert resp.mimetype in {"text/javascript", "application/javascript"}
    assert b"SwaggerUIBundle" in resp.data[:2000]
    assert "max-age" in resp.headers.get("Cache-Control", "")
    css = docs_client.get("/api/v1/docs/assets/swagger-ui.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
