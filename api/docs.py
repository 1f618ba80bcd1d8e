"""The docs page's assets: Swagger UI, vendored under api/static/swagger-ui (see the
README there), served by the app so /api/v1/docs needs nothing from outside."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

SWAGGER_UI_DIR = Path(__file__).resolve().parent / "static" / "swagger-ui"
# What flask-smorest's swagger_ui.html loads; the folder's README, licences and VERSION
# are for people, not served.
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"})


def swagger_ui_version() -> str:
    return (SWAGGER_UI_DIR / "VERSION").read_text().strip()


def init_app(app: Flask) -> None:
    """Before flask-smorest's Api: this blueprint's swagger_ui.html (the docs page under the
    Content-Security-Policy) is then found before flask-smorest's own."""
    app.register_blueprint(Blueprint("docs_page", __name__, template_folder="templates"))

    @app.route("/api/v1/docs/assets/<path:filename>")
    def swagger_assets(filename):
        if filename not in ASSETS:
            abort(404)
        return send_from_directory(SWAGGER_UI_DIR, filename, max_age=86400)
