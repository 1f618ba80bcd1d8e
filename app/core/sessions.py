"""Cookie sessions for the back office only: the API authenticates with bearer tokens,
so its requests neither read nor write a session cookie (and skip the signing work)."""
from flask.sessions import SecureCookieSessionInterface


class BackOfficeSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)
