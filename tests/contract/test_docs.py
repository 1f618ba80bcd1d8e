"""Swagger UI at /api/v1/docs works offline: every asset comes from this app, from the
copy vendored in api/static/swagger-ui. (That the page renders the spec is tested in
Chromium: tests/e2e/test_api_docs.py.)"""
import json
import re
from urllib.parse import urlparse

import pytest

from api.docs import ASSETS, SWAGGER_UI_DIR, swagger_ui_version


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


def test_the_vendored_swagger_ui_is_served(docs_client):
    """Swagger UI 5 (reads OpenAPI 3.1), the pinned version, with its licence beside it."""
    version = swagger_ui_version()
    assert re.fullmatch(r"5\.\d+\.\d+", version), version
    for name in ASSETS:
        resp = docs_client.get(f"/api/v1/docs/assets/{name}")
        assert resp.status_code == 200, name
        assert resp.data == (SWAGGER_UI_DIR / name).read_bytes(), name
    bundle = (SWAGGER_UI_DIR / "swagger-ui-bundle.js").read_text()
    assert f'PACKAGE_VERSION:"{version}"' in bundle
    assert "Apache License" in (SWAGGER_UI_DIR / "LICENSE").read_text()


@pytest.mark.parametrize("name", ["README.md", "VERSION", "LICENSE", "../docs.py",
                                  "swagger-ui-bundle.js.map", "index.html"])
def test_only_the_page_assets_are_served(docs_client, name):
    assert docs_client.get(f"/api/v1/docs/assets/{name}").status_code == 404


def test_swagger_ui_calls_no_outside_validator(docs_client):
    """Left unset, Swagger UI loads a badge from validator.swagger.io for a spec that is
    not on localhost, i.e. in production."""
    html = docs_client.get("/api/v1/docs").get_data(as_text=True)
    config = json.loads(re.search(r"override_config = (\{.*?\});", html).group(1))
    assert config["validatorUrl"] is None
    assert config["displayOperationId"] is True
