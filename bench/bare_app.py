"""The baseline: a bare Flask app, served by the same gunicorn command line as the real one
(Procfile `web:` with `wsgi:app` replaced by `bench.bare_app:app`)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return {"message": "Hello, World!"}
